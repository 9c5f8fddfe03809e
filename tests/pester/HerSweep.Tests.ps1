# Start-HerSweep, Get-HerSweep, Resume-HerSweep and Stop-HerSweep. The local sweeps train in this session;
# the Slurm context needs a running Slurm (scripts/slurm-local.sh, as .ci/run starts it) and the installed
# her-tools tool (scripts/test.sh exports HERTOOLS_TOOL_PATH), and fails saying so without them.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # A budget that trains for real and evaluates twice, in about a second per run.
    $script:Tiny = @(
        'preset: point_goal'
        'set:'
        '  total_timesteps: 400'
        '  ddpg.learning_starts: 100'
        '  ddpg.batch_size: 32'
        '  ddpg.hidden_sizes: [16, 16]'
        '  eval.eval_freq: 200'
        '  eval.n_eval_episodes: 5'
        '  log.log_interval: 100'
    )

    function New-SweepFile {
        param([Parameter(Mandatory)] [string] $Name, [string[]] $Lines = @())
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value ($script:Tiny + $Lines)
        $path
    }

    # Polls Get-HerSweep until no run is running or queued.
    function Wait-HerSweep {
        param([Parameter(Mandatory)] [string] $Path, [int] $TimeoutSeconds = 240)
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while ($true) {
            $runs = Get-HerSweep $Path
            if (-not ($runs | Where-Object { $_.State -eq 'Running' -or $null -ne $_.SchedulerState })) { return $runs }
            if ($clock.Elapsed.TotalSeconds -gt $TimeoutSeconds) { throw "the sweep in $Path did not settle within $TimeoutSeconds s" }
            Start-Sleep -Milliseconds 250
        }
    }
}

Describe 'Start-HerSweep' {
    Context 'a local sweep of 2 HER ratios x 2 seeds' {
        BeforeAll {
            $file = New-SweepFile 'ratio.yaml' @('grid:', '  her.her_ratio: [0.0, 0.8]', 'seeds: [1, 2]')
            $folder = Join-Path $TestDrive 'ratio'
            $runs = Start-HerSweep $file -OutputDirectory $folder -Throttle 2
        }

        It 'returns the four runs, all done at the budget' {
            @($runs).Count | Should -Be 4
            $runs | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Sweeps.SweepRunStatus]) }
            $runs.State | Sort-Object -Unique | Should -Be 'Done'
            $runs.Timesteps | Sort-Object -Unique | Should -Be 400
            $runs.RunId | Should -Be @('r000-her_ratio=0.0-seed=1', 'r001-her_ratio=0.0-seed=2', 'r002-her_ratio=0.8-seed=1', 'r003-her_ratio=0.8-seed=2')
        }

        It 'writes sweep.csv with a row per run' {
            $rows = Import-Csv (Join-Path $folder 'sweep.csv')
            $rows.run_id | Should -Be $runs.RunId
            $rows.status | Sort-Object -Unique | Should -Be 'done'
            $rows.'her.her_ratio' | Should -Be @('0.0', '0.0', '0.8', '0.8')
        }

        It 'gives runs whose RunDirectory pipes into Get-HerCheckpoint and Import-HerMetric' {
            $latest = $runs | Get-HerCheckpoint -Latest
            @($latest).Count | Should -Be 4
            $latest.Step | Sort-Object -Unique | Should -Be 400
            $rows = $runs[0] | Import-HerMetric
            $rows[-1].Timesteps | Should -Be 400
        }

        It 'trains nothing again when the same sweep is started into the same folder' {
            $before = (Get-Item (Join-Path $runs[0].RunDirectory 'progress.csv')).LastWriteTimeUtc
            $again = Start-HerSweep $file -OutputDirectory $folder
            $again.State | Sort-Object -Unique | Should -Be 'Done'
            (Get-Item (Join-Path $runs[0].RunDirectory 'progress.csv')).LastWriteTimeUtc | Should -Be $before
        }
    }

    Context 'with a grid value its key refuses' {
        It 'fails that run with the override named and finishes the others' {
            $file = New-SweepFile 'bad-value.yaml' @('grid:', '  her.her_ratio: [0.5, 1.5]', 'seeds: [3]')
            $runs = Start-HerSweep $file -OutputDirectory (Join-Path $TestDrive 'bad-value')

            $runs.State | Should -Be @('Done', 'Failed')
            $runs[1].Error | Should -Be "override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5"
        }
    }

    Context 'with a bad sweep file' {
        It 'stops with InvalidConfig naming the file and line, and creates nothing' {
            $file = New-SweepFile 'bad-key.yaml' @('grid:', '  her.her_rato: [0.5]')
            $folder = Join-Path $TestDrive 'bad-key'

            $record = Get-TerminatingError { Start-HerSweep $file -OutputDirectory $folder }

            $record.FullyQualifiedErrorId | Should -BeLike 'InvalidConfig,*'
            $record.TargetObject | Should -Be "${file}:11"
            $record.Exception.Message | Should -Match "grid\.her\.her_rato.*did you mean 'her\.her_ratio'"
            Test-Path $folder | Should -BeFalse
        }
    }

    Context 'with -WhatIf' {
        It 'creates nothing' {
            $file = New-SweepFile 'whatif.yaml' @('seeds: [1, 2]')
            $folder = Join-Path $TestDrive 'whatif'
            Start-HerSweep $file -OutputDirectory $folder -WhatIf
            Test-Path $folder | Should -BeFalse
        }
    }
}

Describe 'Get-HerSweep' {
    BeforeAll {
        $file = New-SweepFile 'mixed.yaml' @('grid:', '  her.her_ratio: [0.5, 1.5]', 'seeds: [1, 2]')
        $folder = Join-Path $TestDrive 'mixed'
        $null = Start-HerSweep $file -OutputDirectory $folder
    }

    It 'lists every run with its state' {
        (Get-HerSweep $folder).State | Should -Be @('Done', 'Done', 'Failed', 'Failed')
    }

    It 'keeps only the states given with -State' {
        (Get-HerSweep $folder -State Failed).Index | Should -Be @(2, 3)
    }

    It 'takes sweep folders from the pipeline' {
        @($folder, $folder | Get-HerSweep).Count | Should -Be 8
    }

    It 'answers through the engine call her-tools sweep status makes, which rebuilds sweep.csv' {
        $summary = Join-Path $folder 'sweep.csv'
        Remove-Item $summary

        $runs = Get-HerSweep $folder

        $summary | Should -Exist
        @(Import-Csv $summary).Count | Should -Be 4
        [HerTools.Core.Sweeps.SweepRunner]::Status([HerTools.Core.Sweeps.SweepFolder]::Open($folder)).State | Should -Be $runs.State
    }
}

Describe 'Resume-HerSweep' {
    It 'trains the runs of a folder that are not done' {
        $file = New-SweepFile 'resume.yaml' @('seeds: [5, 6]')
        $folder = Join-Path $TestDrive 'resume'
        $null = [HerTools.Core.Sweeps.SweepFolder]::Create([HerTools.Core.Sweeps.SweepLoader]::LoadFile($file), $folder)
        (Get-HerSweep $folder).State | Should -Be @('Pending', 'Pending')

        $runs = Resume-HerSweep $folder

        $runs.State | Should -Be @('Done', 'Done')
    }
}

Describe 'Stop-HerSweep' {
    It 'writes SweepNotOnSlurm for a sweep never submitted to Slurm' {
        $file = New-SweepFile 'local.yaml' @()
        $folder = Join-Path $TestDrive 'local'
        $null = Start-HerSweep $file -OutputDirectory $folder

        Stop-HerSweep $folder -ErrorVariable problems -ErrorAction SilentlyContinue

        $problems[0].FullyQualifiedErrorId | Should -BeLike 'SweepNotOnSlurm,*'
    }
}

Describe 'the Slurm backend' {
    BeforeAll {
        if (-not [HerTools.Core.Sweeps.SlurmSweepRunner]::IsAvailable()) {
            throw 'these tests need a running Slurm (sinfo must answer): run scripts/slurm-local.sh as root first'
        }
        if (-not $env:HERTOOLS_TOOL_PATH) { throw 'these tests need the installed her-tools tool: HERTOOLS_TOOL_PATH (scripts/test.sh sets it)' }
        $script:HerTools = Join-Path $env:HERTOOLS_TOOL_PATH 'her-tools'
    }

    It 'runs a 2x2 sweep as a job array to the same runs as the local backend' {
        $file = New-SweepFile 'slurm.yaml' @('grid:', '  her.her_ratio: [0.0, 0.8]', 'seeds: [1, 2]', 'slurm: {max_concurrent: 2}')
        $folder = Join-Path $TestDrive 'slurm'

        $submitted = Start-HerSweep $file -OutputDirectory $folder -Backend Slurm -HerToolsPath $script:HerTools
        @($submitted).Count | Should -Be 4
        $runs = Wait-HerSweep $folder

        $runs.State | Sort-Object -Unique | Should -Be 'Done'
        $local = Start-HerSweep $file -OutputDirectory (Join-Path $TestDrive 'slurm-local') -Backend Local
        $runs.FinalEvalSuccessRate | Should -Be $local.FinalEvalSuccessRate
        $runs.Timesteps | Should -Be $local.Timesteps
    }

    It 'stops a running array, and Resume-HerSweep finishes it from the checkpoints' {
        $file = New-SweepFile 'slurm-stop.yaml' @('seeds: [1, 2]')
        (Get-Content $file) -replace 'total_timesteps: 400', 'total_timesteps: 30000' -replace 'log_interval: 100', 'log_interval: 500' | Set-Content $file
        $folder = Join-Path $TestDrive 'slurm-stop'
        $null = Start-HerSweep $file -OutputDirectory $folder -Backend Slurm -HerToolsPath $script:HerTools
        $clock = [Diagnostics.Stopwatch]::StartNew()
        while (-not ((Get-HerSweep $folder) | Where-Object { $_.State -eq 'Running' -and $_.Timesteps -ge 1000 })) {
            if ($clock.Elapsed.TotalSeconds -gt 120) { throw 'no run got going on Slurm within 120 s' }
            Start-Sleep -Milliseconds 250
        }

        $cancelled = Stop-HerSweep $folder -PassThru
        @($cancelled).Count | Should -Be 1
        $stopped = Wait-HerSweep $folder
        $stopped.State | Should -Contain 'Stopped'
        $stopped.State | Should -Not -Contain 'Failed'

        $null = Resume-HerSweep $folder -HerToolsPath $script:HerTools
        $finished = Wait-HerSweep $folder
        $finished.State | Sort-Object -Unique | Should -Be 'Done'
        $finished.Timesteps | Sort-Object -Unique | Should -Be 30000
    }
}
