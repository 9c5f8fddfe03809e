#!/usr/bin/env bash
# Measures our train-speed and Stable-Baselines3's side by side, one thread each, and prints each pair with the load.
#
# Usage: bash bench/sb3/side_by_side.sh [--rounds N] [--learners "ddpg td3 sac"] [--env push2d|point_goal] [--steps N]
#            [--learning-starts N] [--concurrent] [--prefix DIR]
# Sequential (default): ours then SB3, alternating, N rounds per learner, so slow stretches of a shared host fall on both.
# --concurrent: each pair started at the same moment, one thread each, so both see the same load (for a busy host).
# Needs bench/sb3/setup.sh run first (DIR is its --prefix, default /work/sb3env); builds the bench once.
set -euo pipefail

rounds=3 learners="ddpg td3 sac" env=push2d steps=2000 learning_starts=1000 concurrent=false prefix=/work/sb3env
while [[ $# -gt 0 ]]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --learners) learners=$2; shift 2 ;;
        --env) env=$2; shift 2 ;;
        --steps) steps=$2; shift 2 ;;
        --learning-starts) learning_starts=$2; shift 2 ;;
        --concurrent) concurrent=true; shift ;;
        --prefix) prefix=$2; shift 2 ;;
        *) echo "side_by_side.sh: unknown argument '$1'" >&2; exit 1 ;;
    esac
done
[[ -f $prefix/env.sh ]] || { echo "side_by_side.sh: no $prefix/env.sh; run bench/sb3/setup.sh first" >&2; exit 1; }

root=$(git -C "$(dirname "$0")" rev-parse --show-toplevel)
cd "$root"
dotnet build -c Release bench/HerTools.Bench -nologo -v q >/dev/null
bench_dll=$(ls bench/HerTools.Bench/bin/Release/net*/HerTools.Bench.dll | head -1)
common=(--env "$env" --steps "$steps" --learning-starts "$learning_starts" --threads 1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

ours() { dotnet "$bench_dll" train-speed --learner "$1" "${common[@]}" | sed -n 's/^env_steps_per_s=//p' >"$out/ours"; }
sb3() { (. "$prefix/env.sh" && /usr/bin/python3 bench/sb3/train_speed.py --learner "$1" "${common[@]}") \
    | sed -n "s/^sb3_$1_env_steps_per_s=//p" >"$out/sb3"; }
load() { cut -d' ' -f1 /proc/loadavg; }

echo "env=$env steps=$steps learning_starts=$learning_starts threads=1 mode=$($concurrent && echo concurrent || echo sequential)"
for learner in $learners; do
    for round in $(seq 1 "$rounds"); do
        before=$(load)
        if $concurrent; then
            ours "$learner" & ours_pid=$!
            sb3 "$learner" & sb3_pid=$!
            wait "$ours_pid" "$sb3_pid"
        else
            ours "$learner"
            sb3 "$learner"
        fi
        after=$(load)
        awk -v l="$learner" -v r="$round" -v o="$(cat "$out/ours")" -v s="$(cat "$out/sb3")" -v b="$before" -v a="$after" \
            'BEGIN { printf "learner=%s round=%s ours=%.1f sb3=%.1f ratio=%.2f load_before=%s load_after=%s\n", l, r, o, s, o / s, b, a }'
    done
done
