#!/usr/bin/env bash
# The main job (README command 1): builds the her-tools CLI and trains the point_goal preset (the
# built-in PointGoal-v0 environment). Extra arguments go to `her-tools train`, e.g. --seed 3.
# Needs only the .NET SDK on the machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "Building her-tools (Release; the first build downloads TorchSharp and libtorch, later ones take seconds)..."
if ! build_log=$(dotnet build src/HerTools.Cli -c Release -nologo -v:quiet 2>&1); then
    printf '%s\n' "$build_log" >&2
    echo "train.sh: the build failed (output above)" >&2
    exit 1
fi
exec dotnet src/HerTools.Cli/bin/Release/net10.0/her-tools.dll train --preset point_goal "$@"
