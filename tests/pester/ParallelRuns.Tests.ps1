# Runs side by side in one process (ForEach-Object -Parallel runspaces) must give what each gives alone:
# every run owns its generators and its TorchSharp thread count.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # progress.csv rows without the wall-clock columns, as CSV lines.
    function Get-ComparableProgress([string] $RunDirectory) {
        Import-HerMetric -Path $RunDirectory | ForEach-Object { $_.WithoutWallClock() } | ConvertTo-Csv
    }

    $overrides = @{ total_timesteps = 500; 'eval.eval_freq' = 250; 'eval.n_eval_episodes' = 10; 'log.log_interval' = 100 }
    # run_id is part of every progress row; fix it so runs in different folders can be compared row for row.
    $alone = Start-HerTraining -Preset point_goal -Set ($overrides + @{ run_id = 'seed1' }) -Seed 1 -Threads 1 -OutputDirectory (Join-Path $TestDrive 'alone-seed1')

    $module = (Get-Module HerTools).Path
    $parallel = 1, 2 | ForEach-Object -ThrottleLimit 2 -Parallel {
        Import-Module $using:module
        Start-HerTraining -Preset point_goal -Set ($using:overrides + @{ run_id = "seed$_" }) -Seed $_ -Threads 1 -OutputDirectory (Join-Path $using:TestDrive "parallel-seed$_")
    }
    $parallelSeed1 = $parallel | Where-Object { $_.Config.Seed -eq 1 }
    $parallelSeed2 = $parallel | Where-Object { $_.Config.Seed -eq 2 }
}

Describe 'two runs in ForEach-Object -Parallel' {
    It 'both complete' {
        @($parallel).Count | Should -Be 2
        $parallel.Status | Sort-Object -Unique | Should -Be ([HerTools.Core.Training.TrainingStatus]::Completed)
        $parallel.Timesteps | Should -Be @(500, 500)
    }

    It 'give the seed-1 run the same eval.csv as the seed-1 run alone' {
        Get-Content -Raw $parallelSeed1.EvalCsv | Should -Be (Get-Content -Raw $alone.EvalCsv)
    }

    It 'give the seed-1 run the same progress rows as alone, wall-clock columns aside' {
        $rows = Get-ComparableProgress $parallelSeed1.RunDirectory

        $rows.Count | Should -Be 6   # header and a row every 100 steps
        $rows | Should -Be (Get-ComparableProgress $alone.RunDirectory)
    }

    It 'give the same final and best evaluation success as alone' {
        $parallelSeed1.FinalEvalSuccessRate | Should -Be $alone.FinalEvalSuccessRate
        $parallelSeed1.BestEvalSuccessRate | Should -Be $alone.BestEvalSuccessRate
    }

    It 'learn something different with the other seed (so equality above is not trivial)' {
        $learned = { Import-HerMetric -Path $args[0] | ForEach-Object { '{0} {1} {2}' -f $_.Timesteps, $_.TrainReturn, $_.CriticLoss } }

        & $learned $parallelSeed2.RunDirectory | Should -Not -Be (& $learned $alone.RunDirectory)
    }
}
