#!/usr/bin/env bash
# Smoke test of the her-tools .NET tool as a user gets it: pack it into ./artifacts, install it into a
# temporary tool path from there alone (fresh package cache, no other feed), train the point_goal preset
# briefly and evaluate the latest checkpoint with the installed binary. Any non-zero exit fails the script.
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
package="artifacts/her-tools.$version.nupkg"

step "pack her-tools $version"
rm -f "$package"
dotnet pack src/HerTools.Cli -c Release -nologo
[[ -f "$package" ]] || { echo "smoke: $package was not produced" >&2; exit 1; }
echo "smoke: $package is $(du -h "$package" | cut -f1)"

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

step "her-tools train --preset point_goal --set total_timesteps=$steps"
run="$work/run"
"$her" train --preset point_goal --set "total_timesteps=$steps" --output "$run"

step "her-tools eval (the run folder: its latest checkpoint)"
"$her" eval "$run"

step "her-tools checkpoints / plot"
"$her" checkpoints "$run"
"$her" plot "$run" --output "$work/curve.png"

printf '\nsmoke: her-tools %s packed, installed, trained, evaluated and plotted\n' "$version"
