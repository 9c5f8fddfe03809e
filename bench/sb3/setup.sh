#!/usr/bin/env bash
# Makes Stable-Baselines3 2.3.2 (with Gymnasium 0.29.1) runnable with Debian 12's python3, for bench/sb3/train_speed.py.
#
# Usage (as root, on Debian 12; running it again changes nothing that is already in place):
#   bash bench/sb3/setup.sh --sb3 SRC --gymnasium SRC [--prefix DIR]   # sources you already have
#   bash bench/sb3/setup.sh --download [--prefix DIR]                  # sources as release tarballs from GitHub
# where each SRC is either an unpacked source tree (the folder holding stable_baselines3/ or gymnasium/) or a git
# directory holding the tag (v2.3.2 / v0.29.1), e.g. a clone's .git or a mirror. The sources go to DIR/src (default
# /work/sb3env/src), which must be outside this repository: their code is never committed here. Then
#   . DIR/env.sh && python3 bench/sb3/train_speed.py --learner sac
#
# What it installs with apt: python3 with torch 1.13 (SB3 2.3.2 needs torch >= 1.13), numpy, pandas, cloudpickle,
# matplotlib and typing-extensions (SB3's and Gymnasium's dependencies), and OpenBLAS. Debian's torch calls the
# system BLAS, which is the slow reference BLAS until OpenBLAS is installed (4 GFLOP/s instead of 80-100 for a
# 256x256 matmul on one thread here, and SB3's SAC 8x slower, where a pip install of torch brings its own fast BLAS); the OpenMP
# build follows torch.set_num_threads. Gymnasium imports farama-notifications only inside a try, so it is not needed.
set -euo pipefail

SB3_TAG=v2.3.2
GYMNASIUM_TAG=v0.29.1
PACKAGES=(python3 python3-torch python3-numpy python3-pandas python3-cloudpickle python3-matplotlib python3-typing-extensions
    libopenblas0-openmp)

die() { echo "setup.sh: $*" >&2; exit 1; }

prefix=/work/sb3env sb3_source='' gymnasium_source='' download=false
while [[ $# -gt 0 ]]; do
    case "$1" in
        --sb3) [[ $# -ge 2 ]] || die "--sb3 needs a folder"; sb3_source=$2; shift 2 ;;
        --gymnasium) [[ $# -ge 2 ]] || die "--gymnasium needs a folder"; gymnasium_source=$2; shift 2 ;;
        --prefix) [[ $# -ge 2 ]] || die "--prefix needs a folder"; prefix=$2; shift 2 ;;
        --download) download=true; shift ;;
        -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
if ! $download && [[ -z $sb3_source || -z $gymnasium_source ]]; then
    die "give both --sb3 SRC and --gymnasium SRC, or --download"
fi

repo_root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel 2>/dev/null || true)
prefix=$(realpath -m "$prefix")
if [[ -n $repo_root && $prefix/ == "$(realpath "$repo_root")"/* ]]; then
    die "--prefix $prefix is inside the repository $repo_root; put the sources outside it"
fi
mkdir -p "$prefix/src"

# 1. Debian packages: apt-get update and install only when one is missing.
missing=()
for package in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    grep -q 'VERSION_ID="12"' /etc/os-release 2>/dev/null || echo "setup.sh: warning: not Debian 12; package versions may differ" >&2
    echo "setup.sh: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# 2. The sources, each checked for its version; a tree already in place at the right version is kept.
installed_version() { # name -> the version found under $prefix/src/name, or nothing
    case "$1" in
        sb3) cat "$prefix/src/sb3/stable_baselines3/version.txt" 2>/dev/null || true ;;
        gymnasium) sed -n 's/^__version__ = "\(.*\)"/\1/p' "$prefix/src/gymnasium/gymnasium/__init__.py" 2>/dev/null || true ;;
    esac
}

place() { # name tag package-folder source url
    local name=$1 tag=$2 folder=$3 source=$4 url=$5 target="$prefix/src/$1"
    if [[ $(installed_version "$name") == "${tag#v}" ]]; then
        echo "setup.sh: $name ${tag#v} already in $target"
        return
    fi
    rm -rf "$target.new" && mkdir -p "$target.new"
    if [[ -z $source ]]; then
        echo "setup.sh: downloading $url"
        curl -fsSL --retry 2 "$url" | tar -xz -C "$target.new" --strip-components=1 || { rm -rf "$target.new"; die "could not download $url"; }
    elif git --git-dir="$source" rev-parse --verify -q "$tag^{commit}" >/dev/null 2>&1; then
        # Only the package and its licence: a mirror may lack large files elsewhere in the tree (documentation media),
        # about which git may still print "invalid object"; the version and import checks below catch a package missing.
        git --git-dir="$source" archive "$tag" "$folder" LICENSE | tar -x -C "$target.new"
    elif [[ -d $source/$folder ]]; then
        cp -a "$source/$folder" "$target.new/"
        [[ -f $source/LICENSE ]] && cp "$source/LICENSE" "$target.new/"
    else
        die "$source is neither a source tree holding $folder/ nor a git directory with tag $tag"
    fi
    rm -rf "$target" && mv "$target.new" "$target"
    [[ $(installed_version "$name") == "${tag#v}" ]] || die "$source holds $name $(installed_version "$name"), not ${tag#v}"
    echo "setup.sh: $name ${tag#v} in $target"
}

place sb3 "$SB3_TAG" stable_baselines3 "$sb3_source" \
    "https://github.com/DLR-RM/stable-baselines3/archive/refs/tags/$SB3_TAG.tar.gz"
place gymnasium "$GYMNASIUM_TAG" gymnasium "$gymnasium_source" \
    "https://github.com/Farama-Foundation/Gymnasium/archive/refs/tags/$GYMNASIUM_TAG.tar.gz"

# 3. The environment file, and a check that it imports.
cat >"$prefix/env.sh" <<EOF
# Source this file to run bench/sb3/train_speed.py with Stable-Baselines3 ${SB3_TAG#v} (written by bench/sb3/setup.sh).
export PYTHONPATH="$prefix/src/sb3:$prefix/src/gymnasium"
EOF
PYTHONPATH="$prefix/src/sb3:$prefix/src/gymnasium" /usr/bin/python3 -c '
import gymnasium, numpy, stable_baselines3, torch
print(f"setup.sh: ready: stable_baselines3 {stable_baselines3.__version__}, gymnasium {gymnasium.__version__}, "
      f"torch {torch.__version__}, numpy {numpy.__version__}")
'
echo "setup.sh: run '. $prefix/env.sh' before bench/sb3/train_speed.py"
