#!/usr/bin/env pwsh
<#
.SYNOPSIS
    A worked hyperparameter sweep: the HER relabeling ratio against seeds on PointGoal-v0, run in parallel,
    summarised from the runs' CSV logs.

.DESCRIPTION
    Trains every (her_ratio, seed) pair of the grid as its own run with ForEach-Object -Parallel, at most
    -ThrottleLimit at a time, each with one TorchSharp thread and its own generators (so each run's result equals
    the same run started alone). Each run goes to OUTPUT/ratio-R/seed-S/; a folder that already holds a run is
    left as it is, so running the script again only completes the grid and rebuilds the summary.

    The summary is built from the CSV logs alone (Import-HerMetric), not from the objects training returned, so
    it can be rebuilt at any time. The script writes OUTPUT/runs.csv (one row per run), OUTPUT/summary.csv (one
    row per her_ratio) and OUTPUT/learning-curves.png, and returns the per-ratio summary.

    her_ratio 0 is DDPG without relabeling, the baseline HER must beat; 0.8 is SB3's n_sampled_goal = 4.

.PARAMETER HerRatio
    The relabeled share of each batch to try (the config's her.her_ratio).

.PARAMETER Seed
    The seeds every ratio is trained with.

.PARAMETER Preset
    The preset every run starts from. Default: point_goal.

.PARAMETER TotalTimesteps
    Environment steps per run. Default: the preset's.

.PARAMETER Set
    Further overrides for every run, as Start-HerTraining -Set takes them.

.PARAMETER ThrottleLimit
    Runs trained at once. Default: the number of processors.

.PARAMETER SuccessThreshold
    The evaluation success rate whose first crossing the summary reports, in environment steps.

.PARAMETER OutputDirectory
    The sweep's folder. Default: sweeps/her-ratio under the current location.

.EXAMPLE
    pwsh scripts/sweep-her-ratio.ps1

    The full grid: her_ratio 0, 0.5 and 0.8, seeds 1 to 3, the point_goal preset's 3000 steps each.

.EXAMPLE
    ./scripts/sweep-her-ratio.ps1 -HerRatio 0, 0.8 -Seed 1, 2 -TotalTimesteps 1500 -ThrottleLimit 2 -OutputDirectory sweeps/quick |
        Format-Table

.EXAMPLE
    Import-Csv sweeps/her-ratio/runs.csv | Sort-Object { [double]$_.final_success } | Format-Table
#>
[CmdletBinding()]
param(
    [double[]] $HerRatio = @(0, 0.5, 0.8),
    [ulong[]] $Seed = @(1, 2, 3),
    [string] $Preset = 'point_goal',
    [long] $TotalTimesteps = 0,
    [hashtable] $Set = @{},
    [ValidateRange(1, 256)] [int] $ThrottleLimit = [Environment]::ProcessorCount,
    [ValidateRange(0, 1)] [double] $SuccessThreshold = 0.9,
    [string] $OutputDirectory = 'sweeps/her-ratio'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

# The module: the one already imported, else one on $env:PSModulePath, else this repository's build.
if (-not (Get-Module HerTools)) {
    if (Get-Module -ListAvailable HerTools) { Import-Module HerTools }
    else { Import-Module (Join-Path $PSScriptRoot '..' 'HerTools.psd1') }
}
$module = (Get-Module HerTools).Path
$sweep = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputDirectory)
$invariant = [System.Globalization.CultureInfo]::InvariantCulture

# The grid: every ratio crossed with every seed, in a fixed order, each with its own folder and run id.
$grid = foreach ($ratio in $HerRatio) {
    foreach ($s in $Seed) {
        $ratioText = $ratio.ToString($invariant)
        [pscustomobject]@{
            HerRatio     = $ratio
            Seed         = $s
            RunId        = "ratio$ratioText-seed$s"
            RunDirectory = Join-Path $sweep "ratio-$ratioText" "seed-$s"
        }
    }
}

$pending = @($grid | Where-Object { -not (Test-Path (Join-Path $_.RunDirectory 'progress.csv')) })
$done = $grid.Count - $pending.Count
if ($done) { Write-Verbose "$done of $($grid.Count) runs are already in $sweep; training the other $($pending.Count)." }

$overrides = @{} + $Set
if ($TotalTimesteps -gt 0) { $overrides['total_timesteps'] = $TotalTimesteps }

$pending | ForEach-Object -ThrottleLimit $ThrottleLimit -Parallel {
    Import-Module $using:module
    $run = $_
    $set = @{} + $using:overrides
    $set['her.her_ratio'] = $run.HerRatio
    $set['run_id'] = $run.RunId
    try {
        $null = Start-HerTraining -Preset $using:Preset -Seed $run.Seed -Threads 1 -Set $set -OutputDirectory $run.RunDirectory
        Write-Verbose "$($run.RunId): done"
    }
    catch {
        # One failing run must not stop the others; the summary shows it without evaluations.
        Write-Warning "$($run.RunId) failed: $($_.Exception.Message)"
    }
}

# The summary, from the CSV logs only.
$runs = foreach ($run in $grid) {
    $evaluations = @(if (Test-Path (Join-Path $run.RunDirectory 'eval.csv')) { Import-HerMetric -Path $run.RunDirectory -Kind Eval })
    $progress = @(if (Test-Path (Join-Path $run.RunDirectory 'progress.csv')) { Import-HerMetric -Path $run.RunDirectory })
    $reached = $evaluations | Where-Object SuccessRate -ge $SuccessThreshold | Select-Object -First 1
    [pscustomobject]@{
        her_ratio          = $run.HerRatio
        seed               = $run.Seed
        run_id             = $run.RunId
        timesteps          = if ($progress) { $progress[-1].Timesteps } else { 0 }
        final_success      = if ($evaluations) { $evaluations[-1].SuccessRate } else { $null }
        best_success       = if ($evaluations) { ($evaluations.SuccessRate | Measure-Object -Maximum).Maximum } else { $null }
        steps_to_threshold = if ($reached) { $reached.Timesteps } else { $null }
        wall_time_s        = if ($progress) { [Math]::Round($progress[-1].WallTimeSeconds, 1) } else { $null }
        run_directory      = $run.RunDirectory
    }
}
New-Item -ItemType Directory -Force -Path $sweep | Out-Null
$runs | Export-Csv -Path (Join-Path $sweep 'runs.csv') -NoTypeInformation -UseQuotes AsNeeded

$summary = foreach ($group in ($runs | Group-Object her_ratio | Sort-Object { [double]$_.Name })) {
    $finished = @($group.Group | Where-Object { $null -ne $_.final_success })
    $final = $finished.final_success | Measure-Object -Average -Minimum -Maximum
    $reaching = @($group.Group | Where-Object { $null -ne $_.steps_to_threshold })
    [pscustomobject]@{
        her_ratio               = $group.Group[0].her_ratio
        runs                    = $group.Count
        finished                = $finished.Count
        mean_final_success      = if ($finished) { [Math]::Round($final.Average, 3) } else { $null }
        min_final_success       = if ($finished) { $final.Minimum } else { $null }
        max_final_success       = if ($finished) { $final.Maximum } else { $null }
        mean_best_success       = if ($finished) { [Math]::Round(($finished.best_success | Measure-Object -Average).Average, 3) } else { $null }
        reached_threshold       = "$($reaching.Count)/$($group.Count)"
        mean_steps_to_threshold = if ($reaching) { [Math]::Round(($reaching.steps_to_threshold | Measure-Object -Average).Average) } else { $null }
    }
}
$summary | Export-Csv -Path (Join-Path $sweep 'summary.csv') -NoTypeInformation -UseQuotes AsNeeded

$plotted = @($runs | Where-Object { $null -ne $_.final_success })
if ($plotted) {
    $null = $plotted.run_directory | Export-HerLearningCurve -OutputPath (Join-Path $sweep 'learning-curves.png') `
        -Title "$Preset`: evaluation success by her_ratio and seed"
}

$summary
