# her-tools train and Start-HerTraining are two mappings over one engine request (TrainingRequest): the same default
# run folder rule and the same config on resume. The CLI here is the installed tool (scripts/test.sh exports
# HERTOOLS_TOOL_PATH); outside test.sh, the build in src/HerTools.Cli.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    # her-tools ARGS..., or with a hashtable first: environment variables for the tool alone.
    function Invoke-HerTools {
        $environment = if ($args.Count -gt 0 -and $args[0] -is [hashtable]) { $args[0] } else { @{} }
        $arguments = @($args | Where-Object { $_ -isnot [hashtable] })
        # An array even for one item: splatting a lone string to a native command would pass it character by character.
        [string[]] $tool = if ($env:HERTOOLS_TOOL_PATH) { Join-Path $env:HERTOOLS_TOOL_PATH 'her-tools' }
                           else { 'dotnet', (Join-Path $RepositoryRoot 'src/HerTools.Cli/bin/Release/net10.0/her-tools.dll') }
        # Through env(1), so a variable such as HERTOOLS_FAULT reaches the tool and never this process.
        $assignments = @('CI=true') + @($environment.GetEnumerator() | ForEach-Object { "$($_.Key)=$($_.Value)" })
        $output = & env @assignments @tool @arguments 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    $script:Tiny = @{ 'ddpg.learning_starts' = 100; 'eval.eval_freq' = 100; 'eval.n_eval_episodes' = 2; 'log.log_interval' = 100 }
    $script:TinyArguments = @($Tiny.GetEnumerator() | ForEach-Object { '--set'; "$($_.Key)=$($_.Value)" })
}

Describe 'her-tools train and Start-HerTraining' {
    Context 'naming a default run folder' {
        It 'follow one rule: runs/PRESET-seedN-UTCTIME, with a suffix for a second run of the same second' {
            $cliHome = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'cli-home')
            $moduleHome = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'module-home')
            $before = [datetime]::UtcNow.AddSeconds(-1)

            Push-Location $cliHome
            try { $cli = Invoke-HerTools train --preset point_goal --seed 5 --total-timesteps 100 @TinyArguments }
            finally { Pop-Location }
            Push-Location $moduleHome
            try {
                $runs = 1..2 | ForEach-Object { Start-HerTraining -Preset point_goal -Seed 5 -TotalTimesteps 100 -Set $Tiny }
            }
            finally { Pop-Location }

            $cli.ExitCode | Should -Be 0 -Because $cli.Output
            $cliName = @(Get-ChildItem (Join-Path $cliHome 'runs') -Directory).Name
            $moduleNames = $runs | ForEach-Object { Split-Path -Leaf $_.RunDirectory }
            $cliName | Should -Match '^point_goal-seed5-\d{8}-\d{6}$'
            $moduleNames[0] | Should -Match '^point_goal-seed5-\d{8}-\d{6}$'
            $moduleNames[1] | Should -BeIn @(($moduleNames[0] + '-2'), $moduleNames[1]) # the same second gets -2; a later one its own stamp
            $moduleNames[1] | Should -Not -Be $moduleNames[0]
            foreach ($name in @($cliName) + $moduleNames) {
                $stamp = [datetime]::ParseExact(($name -split '-')[2] + ($name -split '-')[3], 'yyyyMMddHHmmss', [cultureinfo]::InvariantCulture)
                $stamp | Should -BeGreaterOrEqual $before.AddTicks(-($before.Ticks % [timespan]::TicksPerSecond))
                $stamp | Should -BeLessOrEqual ([datetime]::UtcNow)
            }
            Split-Path -Parent $runs[0].RunDirectory | Should -Be (Join-Path $moduleHome 'runs')
        }
    }

    Context 'resuming a run without naming a budget' {
        BeforeAll {
            # Trained to 200, then resumed to 400 and killed after its step_300 checkpoint (HERTOOLS_FAULT: at the
            # third log row of the resumed session). The checkpoint carries the budget 400; the first session wrote 200.
            $original = Join-Path $TestDrive 'original'
            $first = Invoke-HerTools train --preset point_goal --total-timesteps 200 --set checkpoint.checkpoint_freq=100 @TinyArguments --output $original
            $killed = Invoke-HerTools @{ HERTOOLS_FAULT = 'LogAppend:3:kill' } train --resume $original --total-timesteps 400
            Copy-Item -Recurse $original (Join-Path $TestDrive 'by-cli')
            Copy-Item -Recurse $original (Join-Path $TestDrive 'by-module')
        }

        It 'starts from a run killed after its step_300 checkpoint' {
            $first.ExitCode | Should -Be 0 -Because $first.Output
            $killed.ExitCode | Should -Not -Be 0 -Because 'the tool was killed'
            (Get-HerCheckpoint -Path $original -Latest).Step | Should -Be 300
        }

        It 'continue it to the checkpoint''s budget in both front ends, with the same rows' {
            $cli = Invoke-HerTools train --resume (Join-Path $TestDrive 'by-cli')
            $module = Start-HerTraining -ResumeFrom (Join-Path $TestDrive 'by-module')

            $cli.ExitCode | Should -Be 0 -Because $cli.Output
            $module.Timesteps | Should -Be 400
            $module.Config.TotalTimesteps | Should -Be 400
            (Get-HerCheckpoint -Path (Join-Path $TestDrive 'by-cli') -Latest).Step | Should -Be 400
            $cliEval = Import-Csv (Join-Path $TestDrive 'by-cli/eval.csv')
            $moduleEval = Import-Csv (Join-Path $TestDrive 'by-module/eval.csv')
            $cliEval.timesteps | Should -Be @('100', '200', '300', '400')
            ($moduleEval | ConvertTo-Csv) | Should -Be ($cliEval | ConvertTo-Csv)
        }
    }
}
