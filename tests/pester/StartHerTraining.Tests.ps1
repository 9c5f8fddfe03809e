BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
}

Describe 'Start-HerTraining' {
    Context 'training the point_goal preset for 500 steps' {
        BeforeAll {
            $runDirectory = Join-Path $TestDrive 'run'
            $run = New-ShortRun -OutputDirectory $runDirectory -Seed 7
        }

        It 'returns one HerRun that completed all 500 steps' {
            @($run).Count | Should -Be 1
            $run | Should -BeOfType ([HerTools.PowerShell.HerRun])
            $run.Status | Should -Be ([HerTools.Core.Training.TrainingStatus]::Completed)
            $run.Timesteps | Should -Be 500
            $run.Duration | Should -BeGreaterThan ([timespan]::Zero)
        }

        It 'trains into the folder it was given, named after it' {
            $run.RunDirectory | Should -Be $runDirectory
            $run.RunId | Should -Be 'run'
        }

        It 'carries the resolved config with the overrides and the seed applied' {
            $run.Config.TotalTimesteps | Should -Be 500
            $run.Config.Eval.NEvalEpisodes | Should -Be 10
            $run.Config.Seed | Should -Be 7
            $run.Config.Env.Id | Should -Be 'PointGoal-v0'
        }

        It 'writes config.yaml, progress.csv and eval.csv, and points at them' {
            Join-Path $runDirectory 'config.yaml' | Should -Exist
            $run.ProgressCsv | Should -Be (Join-Path $runDirectory 'progress.csv')
            $run.EvalCsv | Should -Be (Join-Path $runDirectory 'eval.csv')
            $run.ProgressCsv | Should -Exist
            $run.EvalCsv | Should -Exist
        }

        It 'reports the evaluations it ran: two, at 250 and 500 steps' {
            $evaluations = Import-Csv $run.EvalCsv
            $evaluations.timesteps | Should -Be @('250', '500')
            $run.FinalEvalSuccessRate | Should -Be ([double]$evaluations[-1].success_rate)
            $run.BestEvalSuccessRate | Should -Be (($evaluations.success_rate | ForEach-Object { [double]$_ } | Measure-Object -Maximum).Maximum)
        }

        It 'returns the last and best checkpoint folders, which exist' {
            $run.LastCheckpoint | Should -Exist
            $run.BestCheckpoint | Should -Exist
            Split-Path -Parent $run.LastCheckpoint | Should -Be (Join-Path $runDirectory 'checkpoints')
        }

        It 'refuses to train a second run into the same folder' {
            $err = Get-TerminatingError { New-ShortRun -OutputDirectory $runDirectory }
            $err.FullyQualifiedErrorId | Should -BeLike 'RunDirectoryInUse,*'
            $err.CategoryInfo.Category | Should -Be 'ResourceExists'
            $err.Exception.Message | Should -BeLike "*'$runDirectory' already holds a run*-ResumeFrom*"
        }
    }

    Context 'while training' {
        BeforeAll {
            # A hosted pipeline keeps the progress and verbose records a console would show.
            $session = [initialsessionstate]::CreateDefault2()
            $session.ImportPSModule($Manifest)
            $shell = [powershell]::Create($session)
            $null = $shell.AddCommand('Start-HerTraining').AddParameter('Preset', 'point_goal').
                AddParameter('Set', @{ total_timesteps = 500; 'eval.n_eval_episodes' = 10; 'log.log_interval' = 100 }).
                AddParameter('OutputDirectory', (Join-Path $TestDrive 'watched')).AddParameter('Verbose')
            $output = $shell.Invoke()
            $progress = @($shell.Streams.Progress)
            $verbose = @($shell.Streams.Verbose.Message)
            $shell.Dispose()
        }

        It 'returns the run' {
            $output.Count | Should -Be 1
            $output[0].Timesteps | Should -Be 500
        }

        It 'writes progress with steps done, steps per second and the time left' {
            $running = @($progress | Where-Object RecordType -eq 'Processing')
            $running.Count | Should -BeGreaterThan 0
            $running | ForEach-Object { $_.StatusDescription | Should -Match '^[\d,.\s]+ / 500 steps, [\d,.\s]+ steps/s' }
            $running.PercentComplete | Should -Be ($running.PercentComplete | Sort-Object)
            $running[-1].PercentComplete | Should -Be 100
        }

        It 'shows the evaluation success once there is one, and completes the progress bar' {
            $progress[-2].StatusDescription | Should -Match ', eval \d+'
            $progress[-1].RecordType | Should -Be 'Completed'
        }

        It 'writes the resolved config, the evaluations and a summary to the verbose stream' {
            $verbose[0] | Should -Match "^Train PointGoal-v0 with her for 500 steps into '.*watched' with this config"
            $verbose[0] | Should -Match '(?m)^  n_eval_episodes: 10$'
            ($verbose -match 'evaluation success \d').Count | Should -BeGreaterThan 0
            $verbose[-1] | Should -Match "^Run 'watched' completed at 500 steps after \d\d:\d\d:\d\d; final evaluation success"
        }
    }

    Context 'with a config from the pipeline, a YAML file, or relative paths' {
        It 'trains a RunConfig piped in, without changing it' {
            $config = (New-ShortRun -OutputDirectory (Join-Path $TestDrive 'source') -Seed 1).Config
            $run = $config | Start-HerTraining -Set @{ total_timesteps = 250 } -OutputDirectory (Join-Path $TestDrive 'piped')

            $run.Timesteps | Should -Be 250
            $run.Config.Seed | Should -Be 1
            $config.TotalTimesteps | Should -Be 500
        }

        It 'reads -ConfigPath and -OutputDirectory relative to the current location' {
            Push-Location $TestDrive
            try {
                Set-Content -Path 'short.yaml' -Value ((Get-HerPreset point_goal).Yaml -replace 'total_timesteps: \d+', 'total_timesteps: 250')
                $run = Start-HerTraining -ConfigPath short.yaml -Set @{ 'eval.n_eval_episodes' = 5 } -OutputDirectory relative
            }
            finally { Pop-Location }

            $run.RunDirectory | Should -Be (Join-Path $TestDrive 'relative')
            $run.Timesteps | Should -Be 250
        }
    }

    Context 'with -WhatIf' {
        It 'creates no run folder' {
            $target = Join-Path $TestDrive 'whatif/run'

            $result = Start-HerTraining -Preset point_goal -Set @{ total_timesteps = 300 } -OutputDirectory $target -WhatIf

            $result | Should -BeNullOrEmpty
            Join-Path $TestDrive 'whatif' | Should -Not -Exist
        }

        It 'prints the resolved config as YAML, overrides applied and defaults written' {
            $printed = Invoke-InFreshPwsh -ArgumentList (Join-Path $TestDrive 'whatif2') -ScriptBlock {
                param($target)
                # -WhatIf writes to the host; a transcript is how a script can read it back.
                $transcript = Join-Path ([System.IO.Path]::GetTempPath()) "whatif-$PID.txt"
                Start-Transcript -Path $transcript | Out-Null
                Start-HerTraining -Preset bitflip -Set @{ 'env.n_bits' = 12; 'ddpg.batch_size' = 64 } -Seed 5 -TotalTimesteps 20000 -OutputDirectory $target -WhatIf
                Stop-Transcript | Out-Null
                Get-Content -Raw $transcript
                Remove-Item $transcript
            }

            $printed | Should -Match "What if: Train BitFlip-v0 with her for 20\D?000 steps into '.*whatif2' with this config \(hash [0-9a-f]{12}\):"
            $printed | Should -Match '(?m)^seed: 5$'
            $printed | Should -Match '(?m)^  n_bits: 12$'
            $printed | Should -Match '(?m)^  batch_size: 64$'
            $printed | Should -Match '(?m)^  eval_seed: 1000000007$'
            Join-Path $TestDrive 'whatif2' | Should -Not -Exist
        }
    }

    Context 'with bad input' {
        BeforeAll {
            $badYaml = Join-Path $TestDrive 'bad.yaml'
            Set-Content -Path $badYaml -Value @(
                'algo: her'
                'env:'
                '  id: PointGoal-v0'
                'ddpg:'
                '  batch_sise: 64'
            )
        }

        It 'stops with ConfigFileNotFound (ObjectNotFound) naming a missing config file' {
            $missing = Join-Path $TestDrive 'no-such.yaml'

            $err = Get-TerminatingError { Start-HerTraining -ConfigPath $missing -OutputDirectory (Join-Path $TestDrive 'never') }

            $err.FullyQualifiedErrorId | Should -Be 'ConfigFileNotFound,HerTools.PowerShell.Cmdlets.StartHerTrainingCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be $missing
            $err.Exception.Message | Should -Be "${missing}: config file not found"
            Join-Path $TestDrive 'never' | Should -Not -Exist
        }

        It 'stops with InvalidConfig (InvalidArgument) naming an unknown key, its file and line, and the likely key' {
            $err = Get-TerminatingError { Start-HerTraining -ConfigPath $badYaml -OutputDirectory (Join-Path $TestDrive 'never') }

            $err.FullyQualifiedErrorId | Should -Be 'InvalidConfig,HerTools.PowerShell.Cmdlets.StartHerTrainingCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be "${badYaml}:5"
            $err.Exception.Message | Should -Be "${badYaml}:5: key 'ddpg.batch_sise': unknown key (did you mean 'ddpg.batch_size'?)"
        }

        It 'stops with InvalidConfig naming <Name>' -ForEach @(
            @{ Name = 'an override of the wrong type'; Set = @{ 'ddpg.batch_size' = 'many' }; Target = 'ddpg.batch_size=many'; Message = "override 'ddpg.batch_size=many': key 'ddpg.batch_size': expected int*" }
            @{ Name = 'an unknown override key'; Set = @{ 'ddpg.learning_rate' = 0.1 }; Target = 'ddpg.learning_rate=0.1'; Message = "override 'ddpg.learning_rate=0.1': key 'ddpg.learning_rate': unknown key*" }
        ) {
            $err = Get-TerminatingError { Start-HerTraining -Preset point_goal -Set $Set -WhatIf }

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfig,*'
            $err.TargetObject | Should -Be $Target
            $err.Exception.Message | Should -BeLike $Message
        }

        It 'stops with InvalidConfig naming an unknown preset and listing the shipped ones' {
            $err = Get-TerminatingError { Start-HerTraining -Preset point_gaol -WhatIf }

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidConfig,*'
            $err.Exception.Message | Should -BeLike "*unknown preset 'point_gaol'; shipped presets: bitflip, point_goal*"
        }

        It 'stops with TrainingDiverged (InvalidResult) naming the step and quantity when training blows up' {
            $runDirectory = Join-Path $TestDrive 'diverged'

            $err = Get-TerminatingError {
                Start-HerTraining -Preset point_goal -Set @{ 'ddpg.actor_lr' = 1e30; 'ddpg.critic_lr' = 1e30; total_timesteps = 1000 } -OutputDirectory $runDirectory
            }

            $err.FullyQualifiedErrorId | Should -Be 'TrainingDiverged,HerTools.PowerShell.Cmdlets.StartHerTrainingCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidResult'
            $err.TargetObject | Should -Be $runDirectory
            $err.Exception.Message | Should -Match '^training diverged at step \d+: \w+ is (NaN|[+-]infinity|not finite)'
        }

        It 'refuses a -ResumeFrom folder that does not exist with PathNotFound' {
            $err = Get-TerminatingError { Start-HerTraining -ResumeFrom (Join-Path $TestDrive 'nothing/checkpoints/step_5') }

            $err.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'resuming from a checkpoint' {
        It 'continues a run to a larger budget from its latest checkpoint, piped in' {
            $first = New-ShortRun -OutputDirectory (Join-Path $TestDrive 'to-resume') -Set @{ total_timesteps = 250 }

            $resumed = Get-HerCheckpoint -Path $first.RunDirectory -Latest | Start-HerTraining -TotalTimesteps 500

            $resumed.RunDirectory | Should -Be $first.RunDirectory
            $resumed.Timesteps | Should -Be 500
            (Import-Csv $resumed.EvalCsv).timesteps | Should -Be @('250', '500')
        }
    }

    Context 'stopped like Ctrl+C' {
        It 'writes a checkpoint before the budget and returns nothing' {
            $runDirectory = Join-Path $TestDrive 'stopped'
            $session = [initialsessionstate]::CreateDefault2()
            $session.ImportPSModule($Manifest)
            $shell = [powershell]::Create($session)
            try {
                $null = $shell.AddCommand('Start-HerTraining').AddParameter('Preset', 'point_goal').
                    AddParameter('Set', @{ total_timesteps = 100000; 'log.log_interval' = 100 }).AddParameter('OutputDirectory', $runDirectory)
                $pending = $shell.BeginInvoke()
                $progress = Join-Path $runDirectory 'progress.csv'
                $deadline = [datetime]::UtcNow.AddMinutes(2)
                while (-not ((Test-Path $progress) -and @(Get-Content $progress).Count -ge 3)) {
                    if ([datetime]::UtcNow -gt $deadline) { $shell.Stop(); throw "no two progress rows in $progress within 2 minutes" }
                    Start-Sleep -Milliseconds 100
                }
                $shell.Stop()   # what Ctrl+C does: StopProcessing cancels the engine's token
                $output = try { $shell.EndInvoke($pending) } catch [System.Management.Automation.PipelineStoppedException] { @() }
            }
            finally { $shell.Dispose() }

            @($output).Count | Should -Be 0
            $latest = Get-HerCheckpoint -Path $runDirectory -Latest
            $latest.Step | Should -BeGreaterOrEqual 200
            $latest.Step | Should -BeLessThan 100000
        }
    }

    Context 'tab completion' {
        It 'completes -Preset <Typed> to <Expected>' -ForEach @(
            @{ Typed = 'po'; Expected = @('point_goal', 'point_goal_sac', 'point_goal_td3') }
            @{ Typed = 'B'; Expected = @('bitflip') }
            @{ Typed = ''; Expected = @('bitflip', 'point_goal', 'point_goal_sac', 'point_goal_td3', 'push2d') }
        ) {
            $line = "Start-HerTraining -Preset $Typed"
            $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches

            $completions.CompletionText | Should -Be $Expected
        }
    }

    Context 'declared output' {
        It 'declares HerRun as its output type' {
            (Get-Command Start-HerTraining).OutputType.Type | Should -Be ([HerTools.PowerShell.HerRun])
        }

        It 'supports -WhatIf and -Confirm' {
            (Get-Command Start-HerTraining).Parameters.Keys | Should -Contain 'WhatIf'
            (Get-Command Start-HerTraining).Parameters.Keys | Should -Contain 'Confirm'
        }
    }
}
