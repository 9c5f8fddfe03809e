#!/usr/bin/env pwsh
<#
.SYNOPSIS
    A worked search: successive halving over the learning rate and n_sampled_goal on PointGoal-v0, with the chosen
    configuration reported from the CSV logs.

.DESCRIPTION
    Runs scripts/sweeps/asha_point_goal.yaml (or -SweepFile) with Start-HerSweep: every configuration trains to the
    first rung's budget, the best half continues from its checkpoint to the next rung (an exact continuation: the same
    run trained straight logs the same rows), and so on; the best configuration of the last rung is the choice.
    Running it again on the same -OutputDirectory continues the search where it stopped (Ctrl+C leaves checkpoints).

    Returns one object: the chosen configuration's values, its score at the last rung (the mean over its seeds of the
    evaluation success there), its runs' final evaluation success read back from their eval.csv, and the environment
    steps the whole search trained next to what the grid would have trained.

.PARAMETER SweepFile
    The search to run. Default: scripts/sweeps/asha_point_goal.yaml.

.PARAMETER OutputDirectory
    The sweep folder. Default: sweeps/asha-point-goal under the current location.

.PARAMETER Backend
    Local (default: this session trains the runs) or Slurm (Start-HerSweep submits the first rung; run the script again,
    or 'her-tools sweep resume DIR --backend slurm', to go on).

.EXAMPLE
    pwsh scripts/asha-point-goal.ps1

.EXAMPLE
    ./scripts/asha-point-goal.ps1 -OutputDirectory sweeps/asha | Format-List
#>
[CmdletBinding()]
param(
    [string] $SweepFile = (Join-Path $PSScriptRoot 'sweeps' 'asha_point_goal.yaml'),
    [string] $OutputDirectory = 'sweeps/asha-point-goal',
    [ValidateSet('Local', 'Slurm')] [string] $Backend = 'Local'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# The module: the one already imported, else one on $env:PSModulePath, else this repository's build.
if (-not (Get-Module HerTools)) {
    if (Get-Module -ListAvailable HerTools) { Import-Module HerTools }
    else { Import-Module (Join-Path $PSScriptRoot '..' 'HerTools.psd1') }
}

$runs = @(Start-HerSweep -Path $SweepFile -OutputDirectory $OutputDirectory -Backend $Backend)
$chosen = @($runs | Where-Object Decision -EQ 'Chosen')
if ($chosen.Count -eq 0) {
    $rung = ($runs | Measure-Object -Property Rung -Maximum).Maximum
    Write-Warning "The search has not chosen yet (rung $rung is in progress); run the script again to go on."
    return
}

# Read back from the logs, not from the search's own record: the chosen runs' last evaluation.
$finalSuccess = foreach ($run in $chosen) { (Import-HerMetric -Path $run.RunDirectory -Kind Eval)[-1].SuccessRate }
$grid = $runs.Count * ($chosen | Select-Object -First 1).RungBudget
[pscustomobject]@{
    Configuration        = ($chosen[0].Point | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ', '
    Score                = $chosen[0].Score
    Steps                = $chosen[0].RungBudget
    FinalSuccess         = ($finalSuccess | Measure-Object -Average).Average
    Runs                 = $chosen.RunId
    SearchEnvSteps       = ($runs | Measure-Object -Property Timesteps -Sum).Sum
    GridEnvSteps         = $grid
    SweepDirectory       = (Resolve-Path $OutputDirectory).Path
}
