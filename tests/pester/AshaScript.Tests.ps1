# scripts/asha-point-goal.ps1 as shipped: successive halving over 8 configurations of PointGoal-v0 (8,000 steps; about
# 20 s on the 2-core development machine).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $script:folder = Join-Path $TestDrive 'asha'
    $script:result = & (Join-Path $RepositoryRoot 'scripts/asha-point-goal.ps1') -OutputDirectory $folder
}

Describe 'scripts/asha-point-goal.ps1' {
    It 'chooses a configuration that reaches 0.95 evaluation success' {
        $result.FinalSuccess | Should -BeGreaterOrEqual 0.95
        $result.Steps | Should -Be 2000
    }

    It 'trains 8 configurations to 500 steps, 4 on to 1000 and 2 on to 2000, half the grid''s steps' {
        $runs = @(Get-HerSweep $folder)
        ($runs | Where-Object Timesteps -EQ 500).Count | Should -Be 4
        ($runs | Where-Object Timesteps -EQ 1000).Count | Should -Be 2
        ($runs | Where-Object Timesteps -EQ 2000).Count | Should -Be 2
        $result.SearchEnvSteps | Should -Be 8000
        $result.GridEnvSteps | Should -Be 16000
    }

    It 'reports the chosen configuration as search.json records it' {
        $state = Get-Content -Raw (Join-Path $folder 'search.json') | ConvertFrom-Json
        $chosen = (Get-HerSweep $folder | Where-Object Decision -EQ 'Chosen')
        $chosen.Index | Should -Be @($state.rungs[2].trials[0].runs)[0]
        $result.Configuration | Should -Be (($chosen.Point | ForEach-Object { "$($_.Key)=$($_.Value)" }) -join ', ')
    }

    It 'shows each run''s rung, decision and score in the default table' {
        $table = Get-HerSweep $folder | Format-Table | Out-String -Width 200
        $table | Should -Match 'Search'
        $chosen = Get-HerSweep $folder | Where-Object Decision -EQ 'Chosen' | Select-Object -First 1
        $table | Should -Match ("rung $($chosen.Rung) Chosen " + [regex]::Escape('{0:N2}' -f $chosen.Score))
        $table | Should -Match 'rung 0 Stopped'
    }
}
