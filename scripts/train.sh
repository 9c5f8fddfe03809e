#!/usr/bin/env bash
# The main job (README command 1): builds the her-tools CLI and trains the point_goal preset (the
# built-in PointGoal-v0 environment). Extra arguments go to `her-tools train`, e.g. --seed 3.
# Needs only the .NET SDK on the machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "Building her-tools (Release)..."
dotnet build src/HerTools.Cli -c Release -nologo -v:quiet
exec dotnet src/HerTools.Cli/bin/Release/net10.0/her-tools.dll train --preset point_goal "$@"
