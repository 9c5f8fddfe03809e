# A sweep as a test: runs the her_ratio x seed grid of sweep-her-ratio.ps1 and asserts what each
# configuration must achieve. Copy it for your own sweeps: the grid and the expectations sit in one table.
#
#   Invoke-Pester scripts/sweep-her-ratio.Tests.ps1 -Output Detailed
#
# It trains 3 ratios x 2 seeds of the point_goal preset (3000 steps each), two at a time: about 20 seconds on two
# cores. The sweep runs in Pester's TestDrive and is removed afterwards; run sweep-her-ratio.ps1 itself to keep one.

BeforeDiscovery {
    # Each configuration and the evaluation success every one of its seeds must end at or above. Measured on
    # seeds 1-3 (the preset with relative goals): every seed of every ratio ends at 1.00; both HER ratios first
    # reach 0.9 at 750 steps, plain replay at 1500-2250.
    $configurations = @(
        @{ HerRatio = 0.5; MinFinalSuccess = 0.9 }
        @{ HerRatio = 0.8; MinFinalSuccess = 0.9 }
        # No relabeling: plain DDPG on sparse rewards. Not required to learn; its speed is compared with HER below.
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

    It 'learns faster with relabeling (her_ratio 0.8) than without (0): fewer steps to the threshold, on average over seeds' {
        # A seed that never reaches the threshold counts as one step past the budget.
        $meanSteps = {
            param([double] $ratio)
            ($runs | Where-Object { [double]$_.her_ratio -eq $ratio } | ForEach-Object {
                if ($_.steps_to_threshold) { [long]$_.steps_to_threshold } else { [long]$_.timesteps + 1 }
            } | Measure-Object -Average).Average
        }

        (& $meanSteps 0.8) | Should -BeLessThan (& $meanSteps 0)
    }

    It 'drew the learning curves' {
        Join-Path $folder 'learning-curves.png' | Should -Exist
    }
}
