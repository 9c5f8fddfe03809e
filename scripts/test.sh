#!/usr/bin/env bash
# Every test (README command 2; .ci/run runs this very script): restores the local tools, builds the
# solution with zero warnings, packs the her-tools packages and the HerTools module package, installs the tool,
# runs the xunit and Pester suites,
# and ends with exactly one line "N passed, N failed" summing both.
# Exits non-zero when anything failed or when no test ran. Needs only the .NET SDK on the machine.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
configuration=Release
results=$root/TestResults
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

step() { printf '\n==== %s\n' "$*"; }

temporary=$(mktemp -d "${TMPDIR:-/tmp}/hertools-test.XXXXXX")
trap 'rm -rf "$temporary"' EXIT
rm -rf "$results"
mkdir -p "$results"

step "Tools: PowerShell from the local tool manifest, Pester from NuGet"
dotnet tool restore
dotnet restore tests/pester/PesterRestore.csproj -nologo
pester_module=$(dotnet msbuild tests/pester/PesterRestore.csproj -nologo -getProperty:PesterModulePath)
if [[ ! -f $pester_module ]]; then
    echo "test.sh: Pester was restored but $pester_module is missing" >&2
    exit 1
fi

step "Slurm: a single-node cluster on this machine for the sweep tests (scripts/slurm-local.sh)"
# Installs slurm-wlm and munge from Debian's packages when missing and starts the daemons (root, no systemd);
# returns at once when they are already up.
bash scripts/slurm-local.sh

step "Build ($configuration, warnings are errors)"
dotnet build HerTools.sln -c "$configuration" -nologo -warnaserror

step "Format: the house format of .editorconfig, no C# line over 160 characters, no src/ file over 500 lines"
# Whitespace only (about 10 s on an idle machine): `dotnet format whitespace HerTools.sln` applies it. dotnet format
# does not wrap lines, so the limit is checked here.
dotnet format whitespace HerTools.sln --verify-no-changes
long_lines=$(find src tests bench -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 |
    xargs -0 awk 'length > 160 { print FILENAME ":" FNR ": " length " characters" }')
if [[ -n $long_lines ]]; then
    printf 'test.sh: lines over 160 characters (.editorconfig max_line_length):\n%s\n' "$long_lines" >&2
    exit 1
fi
# Small files (the house style): no source file of the product over 500 lines.
long_files=$(find src -name '*.cs' -not -path '*/obj/*' -not -path '*/bin/*' -print0 |
    xargs -0 awk 'FNR == 1 && previous { if (lines > 500) print previous ": " lines " lines" } { previous = FILENAME; lines = FNR }
        END { if (lines > 500) print previous ": " lines " lines" }')
if [[ -n $long_files ]]; then
    printf 'test.sh: source files over 500 lines (split them by concern):\n%s\n' "$long_files" >&2
    exit 1
fi

# ==== The packages, end to end =======================================================================
# Packs her-tools into ./artifacts (the pointer package and one package per platform), installs it from there
# alone into a throw-away tool path (its own package cache), which goes through the pointer to
# her-tools.linux-x64, trains the point_goal preset briefly and evaluates it with the installed binary.
# The Pester tests open the packages packed here and use the installed tool (ToolPackage.Tests.ps1).
step "her-tools: pack for linux-x64, win-x64 and osx-arm64, install from ./artifacts, train and evaluate"
export HERTOOLS_TOOL_PATH=$temporary/tools
bash scripts/smoke-tool.sh 500
export HERTOOLS_TOOL_PACKAGES=$root/artifacts

# Lays the module out with the three platforms' natives (artifacts/module/HerTools/<version>/) and packs it as
# artifacts/HerTools.<version>.nupkg; the Pester tests install it with Install-PSResource (ModulePackage.Tests.ps1).
step "HerTools module: lay out and pack for PSResourceGet (scripts/pack-module.ps1)"
dotnet pwsh -NoProfile -NonInteractive -File scripts/pack-module.ps1 -NoBuild -PackageDestination artifacts
module_version=$(dotnet msbuild src/HerTools.PowerShell -getProperty:Version -nologo | tr -d '[:space:]')
export HERTOOLS_MODULE_PACKAGE=$root/artifacts/HerTools.$module_version.nupkg

# What a plug-in author installs: the engine to build against (HerTools.Core, with HerTools.Policy it depends on)
# and the `dotnet new her-env` template. The Pester tests open them (LibraryPackages.Tests.ps1), and the guide's C#
# section installs the template and restores the engine from them, offline (YourOwnEnvironment.Tests.ps1).
step "Library packages: HerTools.Policy, HerTools.Core and HerTools.Templates into ./artifacts"
for project in src/HerTools.Policy src/HerTools.Core templates/HerTools.Templates; do
    dotnet pack "$project" -c "$configuration" --no-build -nologo -v:q
done
export HERTOOLS_LIBRARY_PACKAGES=$root/artifacts
# ======================================================================================================

step "xunit"
xunit_status=0
dotnet test HerTools.sln -c "$configuration" --no-build --nologo \
    --logger "trx" --logger "console;verbosity=normal" --results-directory "$results/xunit" || xunit_status=$?

step "Pester"
pester_status=0
HERTOOLS_PESTER_MODULE=$pester_module HERTOOLS_RESULTS=$results \
dotnet pwsh -NoProfile -NonInteractive -Command '
    $ErrorActionPreference = "Stop"
    Import-Module $env:HERTOOLS_PESTER_MODULE
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = "tests/pester"
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = "Detailed"
    if ([Console]::IsOutputRedirected) { $configuration.Output.RenderMode = "Plaintext" }
    $configuration.TestResult.Enabled = $true
    $configuration.TestResult.OutputFormat = "NUnitXml"
    $configuration.TestResult.OutputPath = Join-Path $env:HERTOOLS_RESULTS "pester.xml"
    $run = Invoke-Pester -Configuration $configuration
    # A file that fails outside any test (discovery, top-level BeforeAll) counts as a failure too.
    $failed = $run.FailedCount + $run.FailedContainersCount
    if ($run.Result -ne "Passed" -and $failed -eq 0) { $failed = 1 }
    "$($run.PassedCount) $failed $($run.SkippedCount + $run.NotRunCount)" |
        Set-Content -Path (Join-Path $env:HERTOOLS_RESULTS "pester-counts.txt")
    $names = @($run.Failed | ForEach-Object { $_.ExpandedPath }) + @($run.FailedContainers | ForEach-Object { "$($_.Item) (outside any test)" })
    $names | Set-Content -Path (Join-Path $env:HERTOOLS_RESULTS "pester-failed.txt")
' || pester_status=$?

# ---- Summary: the xunit .trx files plus Pester's counts -------------------------------------------
counter() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$2"; }
passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$results"/xunit/*.trx)
for trx in "${trx_files[@]}"; do
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    passed=$((passed + $(counter passed "$counters")))
    failed=$((failed + $(counter failed "$counters") + $(counter error "$counters") + $(counter timeout "$counters") + $(counter aborted "$counters")))
    skipped=$((skipped + $(counter notExecuted "$counters")))
done
xunit_failed=$failed
if (( xunit_status != 0 && xunit_failed == 0 )); then
    echo "test.sh: dotnet test exited with $xunit_status without reporting a failed test; counting the run as one failure" >&2
    failed=$((failed + 1))
fi

if [[ -f $results/pester-counts.txt ]]; then
    read -r pester_passed pester_failed pester_skipped < "$results/pester-counts.txt"
    passed=$((passed + pester_passed)) failed=$((failed + pester_failed)) skipped=$((skipped + pester_skipped))
else
    echo "test.sh: Pester exited with $pester_status and wrote no counts; counting the run as one failure" >&2
    failed=$((failed + 1))
fi

# The suite prints thousands of lines and CI keeps only the tail: name what failed again, here at the end,
# with the first lines of each xunit failure's message.
if (( failed > 0 )); then
    echo "Failed:"
    HERTOOLS_RESULTS=$results dotnet pwsh -NoProfile -NonInteractive -Command '
        foreach ($trx in Get-ChildItem (Join-Path $env:HERTOOLS_RESULTS "xunit") -Filter *.trx) {
            foreach ($result in ([xml](Get-Content -Raw $trx.FullName)).TestRun.Results.UnitTestResult) {
                if ($result.outcome -eq "Passed" -or $result.outcome -eq "NotExecuted") { continue }
                "  xunit: $($result.testName) ($($result.outcome), $($result.duration))"
                $message = $result.Output.ErrorInfo.Message
                if ($message) { ($message -split "`n" | Select-Object -First 6) | ForEach-Object { "      $_" } }
            }
        }
        $pester = Join-Path $env:HERTOOLS_RESULTS "pester-failed.txt"
        if (Test-Path $pester) { Get-Content $pester | ForEach-Object { "  Pester: $_" } }
    ' || echo "test.sh: could not list the failed tests" >&2
fi
summary="$passed passed, $failed failed"
(( skipped > 0 )) && summary+=", $skipped skipped"
if (( passed + failed == 0 )); then
    echo "test.sh: no test ran" >&2
    echo "$summary"
    exit 1
fi
echo "$summary"
(( failed == 0 ))
