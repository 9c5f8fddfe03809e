# A sweep as a test: runs the her_ratio x seed grid of sweep-her-ratio.ps1 and asserts what each
# configuration must achieve. Copy it for your own sweeps: the grid and the expectations sit in one table.
#
#   Invoke-Pester scripts/sweep-her-ratio.Tests.ps1 -Output Detailed
#
# It trains 3 ratios x 2 seeds of the point_goal preset (3000 steps each), two at a time: about 20 seconds on two
# cores. The sweep runs in Pester's TestDrive and is removed afterwards; run sweep-her-ratio.ps1 itself to keep one.

BeforeDiscovery {
    # Each configuration and the evaluation success every one of its seeds must end at or above. Measured on
    # seeds 1-3: both HER ratios end every seed at 1.00 (0.9 first reached at 1250-2750 steps); without
    # relabeling the seeds end at 0.44-0.89.
    $configurations = @(
        @{ HerRatio = 0.5; MinFinalSuccess = 0.9 }
        @{ HerRatio = 0.8; MinFinalSuccess = 0.9 }
        # No relabeling: plain DDPG on sparse rewards. Not required to learn; compared with HER below.
        @{ HerRatio = 0.0; MinFinalSuccess = 0.0 }
    )
}

BeforeAll {
    $seeds = 1, 2
    $ratios = 0.0, 0.5, 0.8
    $folder = Join-Path $TestDrive 'sweep'
    $summary = & (Join-Path $PSScriptRoot 'sweep-her-ratio.ps1') -HerRatio $ratios -Seed $seeds -ThrottleLimit 2 -OutputDirectory $folder
    $runs = Import-Csv (Join-Path $folder 'runs.csv')
}

Describe 'her_ratio sweep on PointGoal-v0' {
    It 'trained and summarised every run of the grid' {
        $runs.Count | Should -Be 6
        $summary.Count | Should -Be 3
        $summary.finished | Should -Be @(2, 2, 2)
    }

    Context 'her_ratio <HerRatio>' -ForEach $configurations {
        BeforeAll { $own = @($runs | Where-Object { [double]$_.her_ratio -eq $HerRatio }) }

        It 'completes every seed' {
            $own.Count | Should -Be 2
            $own | ForEach-Object { [long]$_.timesteps | Should -Be 3000 }
        }

        It 'ends every seed at an evaluation success of at least <MinFinalSuccess>' {
            $own | ForEach-Object { [double]$_.final_success | Should -BeGreaterOrEqual $MinFinalSuccess -Because "run $($_.run_id)" }
        }
    }

    It 'learns more with relabeling (her_ratio 0.8) than without (0), on average over seeds' {
        $with = ($summary | Where-Object her_ratio -eq 0.8).mean_final_success
        $without = ($summary | Where-Object her_ratio -eq 0).mean_final_success

        $with | Should -BeGreaterThan $without
    }

    It 'drew the learning curves' {
        Join-Path $folder 'learning-curves.png' | Should -Exist
    }
}
