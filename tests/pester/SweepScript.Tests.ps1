# scripts/sweep-her-ratio.ps1 on a grid small enough for the test suite: 2 ratios x 1 seed, 300 steps each.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script = Join-Path $RepositoryRoot 'scripts/sweep-her-ratio.ps1'
    $folder = Join-Path $TestDrive 'sweep'
    $arguments = @{
        HerRatio = 0, 0.8; Seed = 4; TotalTimesteps = 300; ThrottleLimit = 2; OutputDirectory = $folder
        Set = @{ 'eval.eval_freq' = 150; 'eval.n_eval_episodes' = 5; 'log.log_interval' = 150 }
        SuccessThreshold = 0.0
    }
    $summary = & $script @arguments
}

Describe 'scripts/sweep-her-ratio.ps1' {
    It 'trains each grid point into OUTPUT/ratio-R/seed-S with its her_ratio and seed' {
        foreach ($ratio in '0', '0.8') {
            $config = Get-Content -Raw (Join-Path $folder "ratio-$ratio/seed-4/config.yaml")
            $config | Should -Match "(?m)^  her_ratio: $([regex]::Escape($ratio))$"
            $config | Should -Match '(?m)^seed: 4$'
            $config | Should -Match '(?m)^threads: 1$'
        }
    }

    It 'writes runs.csv, a row per run, from the CSV logs' {
        $runs = Import-Csv (Join-Path $folder 'runs.csv')

        $runs.run_id | Should -Be @('ratio0-seed4', 'ratio0.8-seed4')
        $runs.timesteps | Should -Be @('300', '300')
        foreach ($run in $runs) {
            $evaluations = Import-HerMetric -Path $run.run_directory -Kind Eval
            [double]$run.final_success | Should -Be $evaluations[-1].SuccessRate
            [double]$run.best_success | Should -Be ($evaluations.SuccessRate | Measure-Object -Maximum).Maximum
            [long]$run.steps_to_threshold | Should -Be $evaluations[0].Timesteps   # threshold 0: the first evaluation
        }
    }

    It 'returns and writes a summary row per her_ratio' {
        $written = Import-Csv (Join-Path $folder 'summary.csv')

        $summary.her_ratio | Should -Be @(0, 0.8)
        $written.her_ratio | Should -Be @('0', '0.8')
        $summary.runs | Should -Be @(1, 1)
        $summary.reached_threshold | Should -Be @('1/1', '1/1')
        $summary[1].mean_final_success | Should -Be ([Math]::Round([double](Import-Csv (Join-Path $folder 'runs.csv'))[1].final_success, 3))
    }

    It 'draws every run''s learning curve into one PNG' {
        Join-Path $folder 'learning-curves.png' | Should -Exist
    }

    It 'leaves finished runs alone when run again, and rebuilds the same summary' {
        $before = (Get-Item (Join-Path $folder 'ratio-0/seed-4/progress.csv')).LastWriteTimeUtc

        $again = & $script @arguments

        (Get-Item (Join-Path $folder 'ratio-0/seed-4/progress.csv')).LastWriteTimeUtc | Should -Be $before
        ($again | ConvertTo-Csv) | Should -Be ($summary | ConvertTo-Csv)
    }
}
