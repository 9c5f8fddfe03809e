#!/usr/bin/env bash
# Smoke test of the her-tools .NET tool as a user gets it: pack it into ./artifacts (the her-tools pointer package
# and one package per platform: her-tools.linux-x64, .win-x64, .osx-arm64), install `her-tools` into a temporary
# tool path from there alone (fresh package cache, no other feed), which must go through the pointer to
# her-tools.linux-x64, train the point_goal preset briefly and evaluate the latest checkpoint with the installed
# binary. Any non-zero exit fails the script.
#
#   scripts/smoke-tool.sh [TOTAL_TIMESTEPS]      (default 500)
#
# KEEP_SMOKE=1 keeps the temporary folder (tool, run folder) for a look afterwards.
# HERTOOLS_TOOL_PATH=DIR installs the tool into DIR instead, and leaves it there (the test command's Slurm
# tests submit jobs that run the installed binary).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
steps="${1:-500}"
work="$(mktemp -d "${TMPDIR:-/tmp}/her-tools-smoke.XXXXXX")"
if [[ "${KEEP_SMOKE:-}" == 1 ]]; then echo "smoke: keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

step() { printf '\n== %s\n' "$*"; }

cd "$repo"
version="$(dotnet msbuild src/HerTools.Cli/HerTools.Cli.csproj -getProperty:Version -nologo | tr -d '[:space:]')"
packages=(her-tools her-tools.linux-x64 her-tools.win-x64 her-tools.osx-arm64)

step "pack her-tools $version (pointer and platform packages)"
for id in "${packages[@]}"; do rm -f "artifacts/$id.$version.nupkg"; done
dotnet pack src/HerTools.Cli -c Release -nologo
for id in "${packages[@]}"; do
    package="artifacts/$id.$version.nupkg"
    [[ -f "$package" ]] || { echo "smoke: $package was not produced" >&2; exit 1; }
    echo "smoke: $package is $(stat -c %s "$package") bytes"
done

tools="${HERTOOLS_TOOL_PATH:-$work/tools}"
step "install into $tools"
# Only ./artifacts as a feed, and a package cache of our own: a stale her-tools of the same version in
# ~/.nuget/packages must not stand in for the one just packed.
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="artifacts" value="$repo/artifacts" />
  </packageSources>
</configuration>
XML
NUGET_PACKAGES="$work/packages" dotnet tool install her-tools --version "$version" \
  --tool-path "$tools" --add-source "$repo/artifacts" --configfile "$work/nuget.config"
her="$tools/her-tools"
"$her" --version
# The pointer package names the platform packages; the SDK installs the one for this machine beside it.
[[ -d "$tools/.store/her-tools/$version/her-tools.linux-x64" ]] ||
    { echo "smoke: her-tools.linux-x64 was not installed through the pointer package" >&2; exit 1; }

step "her-tools train --preset point_goal --set total_timesteps=$steps"
run="$work/run"
"$her" train --preset point_goal --set "total_timesteps=$steps" --output "$run"

step "her-tools eval (the run folder: its latest checkpoint)"
"$her" eval "$run"

step "her-tools checkpoints / plot"
"$her" checkpoints "$run"
"$her" plot "$run" --output "$work/curve.png"

printf '\nsmoke: her-tools %s packed, installed, trained, evaluated and plotted\n' "$version"
