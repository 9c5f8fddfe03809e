# Environment plug-ins (env.assembly) from every front end: the module (Import-HerEnvironment, Get-HerEnvironment
# -Assembly, Start-HerTraining, tab completion) and the installed her-tools tool (train, resume, envs --assembly,
# a Slurm array task). The plug-in is tests/HerTools.TestPlugin (MyEnvs.dll), built with the solution; each test
# trains a copy of it, so changing the copy leaves the build alone. The her-tools and Slurm contexts need what
# scripts/test.sh provides (HERTOOLS_TOOL_PATH, a running Slurm) and fail saying so without it.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # A budget that trains for real, evaluates and checkpoints, in about a second.
    function New-PluginConfig {
        param([Parameter(Mandatory)] [string] $Folder, [string] $EnvId = 'Reach2D-v0', [int] $Steps = 300)
        $null = Copy-TestPlugin -Destination (Join-Path $Folder 'plugins')
        $path = Join-Path $Folder 'reach.yaml'
        Set-Content -Path $path -Value @(
            'env:', '  assembly: plugins/MyEnvs.dll', "  id: $EnvId", "total_timesteps: $Steps",
            'ddpg:', '  learning_starts: 100', '  batch_size: 32', '  hidden_sizes: [16, 16]',
            'eval:', '  eval_freq: 150', '  n_eval_episodes: 5', 'log:', '  log_interval: 100')
        $path
    }
}

Describe 'Import-HerEnvironment' {
    It 'registers the plug-in''s environments for the session and writes them' {
        $plugin = Copy-TestPlugin -Destination (Join-Path $TestDrive 'import')
        $found = Import-HerEnvironment $plugin
        $found.Id | Should -Be @('Reach2DBadReward-v0', 'Reach2D-v0', 'Reach2DNoState-v0')
        $found[0] | Should -BeOfType ([HerTools.Core.Envs.EnvSpec])
        (Get-HerEnvironment Reach2D-v0).Options.Name | Should -Be @('distance_threshold', 'goal_range', 'max_episode_steps')
    }

    It 'makes the ids tab-complete' {
        $null = Import-HerEnvironment (Copy-TestPlugin -Destination (Join-Path $TestDrive 'complete'))
        $line = 'Get-HerEnvironment Reach2'
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Contain 'Reach2D-v0'
    }

    It 'stops with InvalidEnvironmentPlugin naming a file that is no assembly' {
        $bad = Join-Path $TestDrive 'NotAnAssembly.dll'
        Set-Content -Path $bad -Value 'not a .NET assembly'
        $failure = Get-TerminatingError { Import-HerEnvironment $bad }
        $failure.FullyQualifiedErrorId | Should -BeLike 'InvalidEnvironmentPlugin,*'
        $failure.Exception.Message | Should -BeLike "environment plug-in $bad cannot be loaded*"
    }
}

Describe 'Get-HerEnvironment -Assembly' {
    It 'loads the plug-in and lists its environments with the built-in ones' {
        $plugin = Copy-TestPlugin -Destination (Join-Path $TestDrive 'list')
        $ids = (Get-HerEnvironment -Assembly $plugin).Id
        $ids | Should -Contain 'Reach2DNoState-v0'
        $ids | Should -Contain 'PointGoal-v0'
    }
}

Describe 'Test-HerEnvironment' {
    BeforeAll { $script:Plugin = Copy-TestPlugin -Destination (Join-Path $TestDrive 'check') }

    It 'passes an environment of a plug-in that keeps the contract' {
        $report = Test-HerEnvironment Reach2D-v0 -Assembly $Plugin -Episodes 3 -Set @{ 'env.distance_threshold' = 0.2 } -WarningVariable warnings
        $report.Passed | Should -BeTrue
        $report.Episodes | Should -Be 3
        $report.Transitions | Should -Be 75
        $warnings | Should -BeNullOrEmpty
    }

    It 'writes a warning per violation of one that does not' {
        $report = Test-HerEnvironment Reach2DBadReward-v0 -Assembly $Plugin -Episodes 2 -WarningVariable warnings -WarningAction SilentlyContinue
        $report.Passed | Should -BeFalse
        $report.Violations.Check | Sort-Object -Unique | Should -Be 'reward'
        @($warnings).Count | Should -Be $report.Violations.Count
        "$($warnings[0])" | Should -BeLike 'Reach2DBadReward-v0: reward: step * of episode *: reward -1 but ComputeReward gives 0 *'
    }
}

Describe 'Start-HerTraining with a config naming a plug-in' {
    BeforeAll {
        $script:Folder = Join-Path $TestDrive 'train'
        $script:Config = New-PluginConfig $script:Folder
        $script:Run = Start-HerTraining -ConfigPath $script:Config -OutputDirectory (Join-Path $script:Folder 'run')
    }

    It 'trains the plug-in''s environment and records the plug-in''s SHA-256' {
        $Run.Status | Should -Be 'Completed'
        $Run.Config.Env.Id | Should -Be 'Reach2D-v0'
        $plugin = Join-Path $Folder 'plugins/MyEnvs.dll'
        $sha256 = (Get-FileHash $plugin -Algorithm SHA256).Hash.ToLowerInvariant()
        Get-Content (Join-Path $Run.LastCheckpoint 'env_assemblies.sha256') | Should -Be "$sha256  $plugin"
        (Get-Content (Join-Path $Run.RunDirectory 'config.yaml')) | Should -Contain "# env.assembly sha256: $sha256  $plugin"
    }

    It 'refuses to resume once the plug-in changed, with EnvironmentPluginChanged naming it, unless accepted' {
        $plugin = Join-Path $Folder 'plugins/MyEnvs.dll'
        Add-Content -Path $plugin -Value 'changed'
        $failure = Get-TerminatingError { Start-HerTraining -ResumeFrom $Run.LastCheckpoint -TotalTimesteps 400 }
        $failure.FullyQualifiedErrorId | Should -BeLike 'EnvironmentPluginChanged,*'
        $failure.TargetObject | Should -Be $plugin
        $failure.Exception.Message | Should -BeLike "environment plug-in $plugin changed since checkpoint*"

        $resumed = Start-HerTraining -ResumeFrom $Run.LastCheckpoint -TotalTimesteps 400 -AcceptChangedEnvironment
        $resumed.Timesteps | Should -Be 400
    }
}

Describe 'her-tools with a config naming a plug-in' {
    BeforeAll {
        if (-not $env:HERTOOLS_TOOL_PATH) { throw 'these tests need the installed her-tools tool: HERTOOLS_TOOL_PATH (scripts/test.sh sets it)' }
        $script:HerTools = Join-Path $env:HERTOOLS_TOOL_PATH 'her-tools'
        $script:Folder = Join-Path $TestDrive 'cli'
        $script:Config = New-PluginConfig $script:Folder -Steps 600
    }

    It 'lists the plug-in''s environments with envs --assembly' {
        $listing = & $HerTools envs --assembly (Join-Path $Folder 'plugins/MyEnvs.dll') --json | ConvertFrom-Json
        $LASTEXITCODE | Should -Be 0
        $listing.id | Should -Contain 'Reach2D-v0'
    }

    It 'checks an environment with envs check, exit code 1 and every violation printed when it fails' {
        $plugin = Join-Path $Folder 'plugins/MyEnvs.dll'
        $passed = & $HerTools envs check Reach2D-v0 --assembly $plugin --episodes 2
        $LASTEXITCODE | Should -Be 0
        $passed | Should -Be 'Reach2D-v0: passed (2 episodes, 50 steps checked)'

        $failed = & $HerTools envs check Reach2DBadReward-v0 --assembly $plugin --episodes 2
        $LASTEXITCODE | Should -Be 1
        $failed[-1] | Should -BeLike 'Reach2DBadReward-v0: * problems in 2 episodes, 50 steps'
        $failed[0] | Should -BeLike 'reward: step * of episode *: reward -1 but ComputeReward gives 0 *'
    }

    It 'refuses to train a plug-in environment whose ComputeReward disagrees with its step rewards' {
        $errors = & $HerTools train $Config --set env.id=Reach2DBadReward-v0 --output (Join-Path $Folder 'bad') 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $errors | Should -BeLike '*her-tools: Reach2DBadReward-v0 (plug-in *MyEnvs.dll) cannot be trained: reward: step *'
    }

    It 'trains, and a resume from the middle ends with the same weights as training straight through' {
        $straight = Join-Path $Folder 'straight'
        & $HerTools train $Config --output $straight | Out-Null
        $LASTEXITCODE | Should -Be 0
        $half = Join-Path $Folder 'half'
        & $HerTools train $Config --total-timesteps 310 --output $half | Out-Null
        $LASTEXITCODE | Should -Be 0
        & $HerTools train --resume $half --total-timesteps 600 | Out-Null
        $LASTEXITCODE | Should -Be 0

        (Get-FileHash (Join-Path $half 'checkpoints/step_600/agent.bin')).Hash |
            Should -Be (Get-FileHash (Join-Path $straight 'checkpoints/step_600/agent.bin')).Hash
        (Get-FileHash (Join-Path $half 'checkpoints/step_600/replay.bin')).Hash |
            Should -Be (Get-FileHash (Join-Path $straight 'checkpoints/step_600/replay.bin')).Hash
    }

    It 'refuses a resume and an eval once the plug-in changed, naming the file, unless accepted' {
        $run = Join-Path $Folder 'changed'
        $plugin = Copy-TestPlugin -Destination (Join-Path $Folder 'changed-plugin')
        & $HerTools train $Config --set "env.assembly=$plugin" --total-timesteps 300 --output $run | Out-Null
        $LASTEXITCODE | Should -Be 0
        Add-Content -Path $plugin -Value 'changed'

        $errors = & $HerTools train --resume $run --total-timesteps 400 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $errors | Should -BeLike "*her-tools: environment plug-in $plugin changed since checkpoint*"
        $errors = & $HerTools eval $run --episodes 2 2>&1 | Out-String
        $LASTEXITCODE | Should -Be 1
        $errors | Should -BeLike "*environment plug-in $plugin changed*"

        & $HerTools train --resume $run --total-timesteps 400 --accept-changed-env | Out-Null
        $LASTEXITCODE | Should -Be 0
    }
}

Describe 'a Slurm sweep of a config naming a plug-in' {
    BeforeAll {
        if (-not [HerTools.Core.Sweeps.SlurmSweepRunner]::IsAvailable()) {
            throw 'these tests need a running Slurm (sinfo must answer): run scripts/slurm-local.sh as root first'
        }
        if (-not $env:HERTOOLS_TOOL_PATH) { throw 'these tests need the installed her-tools tool: HERTOOLS_TOOL_PATH (scripts/test.sh sets it)' }
    }

    It 'trains every run in an array task, each loading the plug-in itself' {
        $folder = Join-Path $TestDrive 'slurm'
        $null = New-PluginConfig $folder -EnvId Reach2DNoState-v0
        $sweep = Join-Path $folder 'sweep.yaml'
        Set-Content -Path $sweep -Value @('config: reach.yaml', 'grid:', '  env.distance_threshold: [0.1, 0.2]', 'seeds: [1]')

        $out = Join-Path $folder 'out'
        $null = Start-HerSweep $sweep -OutputDirectory $out -Backend Slurm -HerToolsPath (Join-Path $env:HERTOOLS_TOOL_PATH 'her-tools')
        $clock = [Diagnostics.Stopwatch]::StartNew()
        do {
            Start-Sleep -Milliseconds 500
            $runs = Get-HerSweep $out
            if ($clock.Elapsed.TotalSeconds -gt 240) { throw "the sweep in $out did not settle within 240 s" }
        } while ($runs | Where-Object { $_.State -eq 'Running' -or $null -ne $_.SchedulerState })

        $runs.State | Sort-Object -Unique | Should -Be 'Done'
        $runs.Timesteps | Sort-Object -Unique | Should -Be 300
        # Each run was trained by an array task, in a process of its own that loaded the plug-in from the config.
        foreach ($run in $runs) {
            $status = Get-Content (Join-Path $run.RunDirectory 'status.json') -Raw | ConvertFrom-Json
            $status.slurm_array_task_id | Should -Be $run.Index
            Get-Content (Join-Path $run.LastCheckpoint 'env_assemblies.sha256') | Should -BeLike '*  *MyEnvs.dll'
        }
    }
}
