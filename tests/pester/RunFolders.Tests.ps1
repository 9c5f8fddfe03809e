# The cmdlets that read what a training run left behind. They share one short run, trained once here,
# which they read and never change (tests that damage files work on copies).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
    $shared = New-ShortRun -OutputDirectory (Join-Path $TestDrive 'shared') -Seed 3 -Set @{ 'checkpoint.checkpoint_freq' = 250 }
    $evalRows = Import-Csv $shared.EvalCsv
}

Describe 'the pipeline Start-HerTraining | Get-HerCheckpoint -Best | Invoke-HerEval' {
    It 'trains, picks the best checkpoint and evaluates it, in one pipeline' {
        $runDirectory = Join-Path $TestDrive 'run'

        $result = Start-HerTraining -Preset point_goal -Set @{ total_timesteps = 300; 'eval.n_eval_episodes' = 5 } -OutputDirectory $runDirectory |
            Get-HerCheckpoint -Best |
            Invoke-HerEval -Episodes 5

        @($result).Count | Should -Be 1
        $result | Should -BeOfType ([HerTools.PowerShell.HerEvaluation])
        $result.EpisodeCount | Should -Be 5
        Split-Path -Parent $result.Checkpoint | Should -Be (Join-Path $runDirectory 'checkpoints')
        Split-Path -Leaf $result.Checkpoint | Should -Be 'best'
        # Evaluated on the run's own evaluation episodes, the best checkpoint scores what its best evaluation logged.
        $bestLogged = (Import-Csv (Join-Path $runDirectory 'eval.csv') | ForEach-Object { [double]$_.success_rate } | Measure-Object -Maximum).Maximum
        $result.SuccessRate | Should -Be $bestLogged
    }
}

Describe 'Get-HerCheckpoint' {
    Context 'listing a run folder' {
        BeforeAll { $checkpoints = Get-HerCheckpoint -Path $shared.RunDirectory }

        It 'returns typed checkpoints of that run' {
            $checkpoints | Should -Not -BeNullOrEmpty
            $checkpoints | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Checkpoints.CheckpointInfo]) }
            $checkpoints.RunDirectory | Sort-Object -Unique | Should -Be $shared.RunDirectory
            $checkpoints.EnvId | Sort-Object -Unique | Should -Be 'PointGoal-v0'
        }

        It 'holds the checkpoints saved every 250 steps, newest first' {
            $regular = @($checkpoints | Where-Object { -not $_.IsBest })
            $regular.Step | Should -Be @(500, 250)
            $checkpoints[0].Step | Should -Be 500
        }

        It 'names the run''s last checkpoint as Start-HerTraining returned it' {
            $checkpoints[0].Path | Should -Be $shared.LastCheckpoint
        }
    }

    Context 'with -Latest and -Best' {
        It '-Latest returns only the newest checkpoint' {
            $latest = Get-HerCheckpoint -Path $shared.RunDirectory -Latest

            @($latest).Count | Should -Be 1
            $latest.Step | Should -Be 500
        }

        It '-Best returns the checkpoint with the best evaluation success' {
            $best = Get-HerCheckpoint -Path $shared.RunDirectory -Best

            @($best).Count | Should -Be 1
            $best.IsBest | Should -BeTrue
            $best.EvalSuccessRate | Should -Be (($evalRows.success_rate | ForEach-Object { [double]$_ } | Measure-Object -Maximum).Maximum)
            $best.Path | Should -Be $shared.BestCheckpoint
        }
    }

    Context 'with runs from the pipeline' {
        It 'binds a HerRun through RunDirectory and run folders as strings, one latest checkpoint per run' {
            $other = New-ShortRun -OutputDirectory (Join-Path $TestDrive 'other') -Set @{ total_timesteps = 250 }

            $fromRuns = $shared, $other | Get-HerCheckpoint -Latest
            $fromStrings = Get-ChildItem $TestDrive -Directory | Where-Object Name -in 'shared', 'other' | Get-HerCheckpoint -Latest

            $fromRuns.Step | Should -Be @(500, 250)
            ($fromStrings | Sort-Object Step).Step | Should -Be @(250, 500)
        }
    }

    Context 'with -Verify' {
        It 'returns every checkpoint of an intact run, each file checked' {
            $verified = Get-HerCheckpoint -Path $shared.RunDirectory -Verify

            $verified.Path | Should -Be (Get-HerCheckpoint -Path $shared.RunDirectory).Path
        }

        It 'writes an InvalidCheckpoint error naming the file for a checkpoint whose file no longer matches, and the others still' {
            $copy = Join-Path $TestDrive 'verify-damaged'
            Copy-Item -Recurse $shared.RunDirectory $copy
            $damaged = Join-Path $copy 'checkpoints' (Split-Path -Leaf $shared.LastCheckpoint) 'state.bin'
            $bytes = [IO.File]::ReadAllBytes($damaged)
            $bytes[20] = $bytes[20] -bxor 1
            [IO.File]::WriteAllBytes($damaged, $bytes)

            $verified = Get-HerCheckpoint -Path $copy -Verify -ErrorVariable problems -ErrorAction SilentlyContinue

            @($problems).Count | Should -Be 1
            $problems[0].FullyQualifiedErrorId | Should -BeLike 'InvalidCheckpoint,*'
            $problems[0].Exception.FileName | Should -Be 'state.bin'
            $problems[0].Exception.Message | Should -BeLike "*$damaged*"
            $verified.Path | Should -Not -Contain (Split-Path -Parent $damaged)
            @($verified).Count | Should -Be (@(Get-HerCheckpoint -Path $copy).Count - 1)
        }
    }

    Context 'with bad input' {
        It 'stops with PathNotFound for a run folder that does not exist' {
            $missing = Join-Path $TestDrive 'no-run'

            $err = Get-TerminatingError { Get-HerCheckpoint -Path $missing }

            $err.FullyQualifiedErrorId | Should -Be 'PathNotFound,HerTools.PowerShell.Cmdlets.GetHerCheckpointCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -Be "Run folder '$missing' does not exist."
        }

        It 'stops with InvalidCheckpoint (InvalidData) when a checkpoint.json is corrupt' {
            $copy = Join-Path $TestDrive 'corrupt-listing'
            Copy-Item -Recurse $shared.RunDirectory $copy
            $damaged = Join-Path $copy 'checkpoints' (Split-Path -Leaf $shared.LastCheckpoint) 'checkpoint.json'
            Set-Content -Path $damaged -Value '{ "step": '

            $err = Get-TerminatingError { Get-HerCheckpoint -Path $copy }

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidCheckpoint,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*$(Split-Path -Parent $damaged)*"
        }
    }

    It 'declares CheckpointInfo as its output type' {
        (Get-Command Get-HerCheckpoint).OutputType.Type | Should -Be ([HerTools.Core.Checkpoints.CheckpointInfo])
    }
}

Describe 'Invoke-HerEval' {
    Context 'evaluating the final checkpoint under the training protocol' {
        BeforeAll {
            $final = Get-HerCheckpoint -Path $shared.RunDirectory -Latest
            # Same episodes and seeds as the evaluation training ran at step 500: eval.n_eval_episodes = 10 from eval_seed.
            $result = $final | Invoke-HerEval -Episodes 10
            $logged = $evalRows | Where-Object timesteps -eq '500'
        }

        It 'returns one typed evaluation of that checkpoint' {
            $result | Should -BeOfType ([HerTools.PowerShell.HerEvaluation])
            $result.Checkpoint | Should -Be $final.Path
            $result.EpisodeCount | Should -Be 10
            $result.Seed | Should -Be 1000000007
        }

        It 'reproduces the evaluation eval.csv logged at that step' {
            $result.SuccessRate | Should -Be ([double]$logged.success_rate)
            [Math]::Abs($result.MeanReturn - ([double]$logged.mean_return)) | Should -BeLessOrEqual 1e-9
            [Math]::Abs($result.MeanFinalDistance - ([double]$logged.mean_final_distance)) | Should -BeLessOrEqual 1e-9
        }

        It 'attaches no episode records without -Detailed' {
            $result.Episodes.Count | Should -Be 0
        }
    }

    Context 'with -Detailed' {
        BeforeAll { $detailed = Get-HerCheckpoint -Path $shared.RunDirectory -Latest | Invoke-HerEval -Episodes 4 -Seed 42 -Detailed }

        It 'attaches one record per episode, reset with seeds Seed, Seed+1, ...' {
            $detailed.Episodes.Count | Should -Be 4
            $detailed.Episodes.Index | Should -Be @(0, 1, 2, 3)
            $detailed.Episodes.Seed | Should -Be @(42, 43, 44, 45)
        }

        It 'summarises exactly its records' {
            $successes = @($detailed.Episodes | Where-Object Success).Count
            $detailed.SuccessRate | Should -Be ($successes / 4)
            [Math]::Abs($detailed.MeanReturn - (($detailed.Episodes.Return | Measure-Object -Average).Average)) | Should -BeLessOrEqual 1e-9
            [Math]::Abs($detailed.MeanFinalDistance - (($detailed.Episodes.FinalDistance | Measure-Object -Average).Average)) | Should -BeLessOrEqual 1e-9
        }

        It 'gives the same result for the same seed' {
            $again = Get-HerCheckpoint -Path $shared.RunDirectory -Latest | Invoke-HerEval -Episodes 4 -Seed 42 -Detailed
            ($again.Episodes | ConvertTo-Json -Compress) | Should -Be ($detailed.Episodes | ConvertTo-Json -Compress)
        }
    }

    Context 'with bad input' {
        It 'stops with PathNotFound for a checkpoint folder that does not exist' {
            $missing = Join-Path $TestDrive 'shared/checkpoints/step_999'

            $err = Get-TerminatingError { Invoke-HerEval -Path $missing }

            $err.FullyQualifiedErrorId | Should -Be 'PathNotFound,HerTools.PowerShell.Cmdlets.InvokeHerEvalCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.TargetObject | Should -Be $missing
        }

        It 'stops with InvalidCheckpoint (InvalidData) naming the damaged checkpoint when <Name>' -ForEach @(
            @{ Name = 'checkpoint.json is not JSON'; Damage = { param($folder) Set-Content -Path (Join-Path $folder 'checkpoint.json') -Value 'not json' } }
            @{ Name = 'its largest file has flipped bytes'; Damage = {
                    param($folder)
                    $file = Get-ChildItem $folder -File -Recurse | Where-Object Name -ne 'checkpoint.json' | Sort-Object Length -Descending | Select-Object -First 1
                    $bytes = [System.IO.File]::ReadAllBytes($file.FullName)
                    $middle = [int]($bytes.Length / 2)
                    for ($i = $middle; $i -lt [Math]::Min($middle + 16, $bytes.Length); $i++) { $bytes[$i] = $bytes[$i] -bxor 0xFF }
                    [System.IO.File]::WriteAllBytes($file.FullName, $bytes)
                }
            }
            @{ Name = 'its largest file is cut short'; Damage = {
                    param($folder)
                    $file = Get-ChildItem $folder -File -Recurse | Where-Object Name -ne 'checkpoint.json' | Sort-Object Length -Descending | Select-Object -First 1
                    $stream = [System.IO.File]::Open($file.FullName, 'Open')
                    try { $stream.SetLength([long]($stream.Length / 2)) } finally { $stream.Dispose() }
                }
            }
        ) {
            $copy = Join-Path $TestDrive "damaged-$([guid]::NewGuid().ToString('N').Substring(0, 8))" 'checkpoints' 'step_500'
            New-Item -ItemType Directory -Force -Path (Split-Path -Parent $copy) | Out-Null
            Copy-Item -Recurse $shared.LastCheckpoint $copy
            & $Damage $copy

            $err = Get-TerminatingError { Invoke-HerEval -Path $copy -Episodes 2 }

            $err.FullyQualifiedErrorId | Should -Be 'InvalidCheckpoint,HerTools.PowerShell.Cmdlets.InvokeHerEvalCommand'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*$copy*"
        }
    }

    It 'declares HerEvaluation as its output type' {
        (Get-Command Invoke-HerEval).OutputType.Type | Should -Be ([HerTools.PowerShell.HerEvaluation])
    }
}

Describe 'Export-HerPolicy' {
    Context 'exporting the shared run''s latest checkpoint' {
        BeforeAll {
            $htp = Join-Path $TestDrive 'export/policy.htp'
            $exported = Export-HerPolicy -Path $shared.RunDirectory -OutputPath $htp
        }

        It 'returns the export, from the latest checkpoint' {
            $exported | Should -BeOfType ([HerTools.Core.Training.PolicyExportResult])
            $exported.CheckpointPath | Should -Be (Get-HerCheckpoint $shared.RunDirectory -Latest).Path
            $exported.EnvironmentId | Should -Be 'PointGoal-v0'
            $exported.Bytes | Should -Be (Get-Item $htp).Length
        }

        It 'writes a policy the HerTools.Policy library loads and acts with' {
            $policy = [HerTools.Policy.GoalPolicy]::Load($htp)
            $action = $policy.Act([float[]]@(0.1, -0.2), [float[]]@(0.1), [float[]]@(0.5))
            $action.Count | Should -Be 1
            $action[0] | Should -BeGreaterOrEqual -1
            $action[0] | Should -BeLessOrEqual 1
        }
    }

    Context 'with -WhatIf, an existing file and -Format Onnx' {
        It 'writes nothing with -WhatIf' {
            $path = Join-Path $TestDrive 'whatif.htp'
            Export-HerPolicy $shared.RunDirectory -OutputPath $path -WhatIf
            $path | Should -Not -Exist
        }

        It 'refuses to replace a file without -Force, and replaces it with -Force' {
            $path = Join-Path $TestDrive 'taken.onnx'
            Set-Content -Path $path -Value 'keep'
            { Export-HerPolicy $shared.RunDirectory -OutputPath $path -Format Onnx -ErrorAction Stop } | Should -Throw '*already exists*'
            Get-Content $path | Should -Be 'keep'
            $result = Export-HerPolicy $shared.RunDirectory -OutputPath $path -Format Onnx -Force
            $result.Format | Should -Be 'Onnx'
            (Get-Item $path).Length | Should -BeGreaterThan 1000
        }
    }

    It 'declares PolicyExportResult as its output type' {
        (Get-Command Export-HerPolicy).OutputType.Name | Should -Be 'HerTools.Core.Training.PolicyExportResult'
    }
}

Describe 'Import-HerMetric' {
    Context 'progress.csv of one run' {
        BeforeAll { $rows = Import-HerMetric -Path $shared.RunDirectory }

        It 'returns typed rows, one every log_interval (250) steps' {
            $rows | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Metrics.ProgressRow]) }
            $rows.Timesteps | Should -Be @(250, 500)
        }

        It 'holds the values of the file, and the run folder attached' {
            $file = Import-Csv $shared.ProgressCsv
            $rows.Episodes | Should -Be ($file.episodes | ForEach-Object { [long]$_ })
            $rows.RunId | Sort-Object -Unique | Should -Be 'shared'
            $rows.Seed | Sort-Object -Unique | Should -Be 3
            $rows.RunDirectory | Sort-Object -Unique | Should -Be $shared.RunDirectory
        }
    }

    Context 'eval.csv with -Kind Eval' {
        BeforeAll { $rows = Import-HerMetric -Path $shared.RunDirectory -Kind Eval }

        It 'returns typed evaluation rows with the file''s values' {
            $rows | ForEach-Object { $_ | Should -BeOfType ([HerTools.Core.Metrics.EvalRow]) }
            $rows.Timesteps | Should -Be @(250, 500)
            $rows.SuccessRate | Should -Be ($evalRows.success_rate | ForEach-Object { [double]$_ })
        }

        It 'attaches the run''s id and folder to each row' {
            $rows.RunId | Sort-Object -Unique | Should -Be 'shared'
            $rows.RunDirectory | Sort-Object -Unique | Should -Be $shared.RunDirectory
        }
    }

    Context 'several runs from the pipeline' {
        It 'returns the rows of each run, told apart by RunId, for <Name>' -ForEach @(
            @{ Name = 'HerRun objects'; Source = { $shared, (New-ShortRun -OutputDirectory (Join-Path $TestDrive 'second') -Set @{ total_timesteps = 250 }) } }
            @{ Name = 'folder paths'; Source = { (Join-Path $TestDrive 'shared'), (Join-Path $TestDrive 'second') } }
        ) {
            $rows = & $Source | Import-HerMetric -Kind Eval

            ($rows | Group-Object RunId | Sort-Object Name | ForEach-Object { "$($_.Name):$($_.Count)" }) | Should -Be @('second:1', 'shared:2')
        }
    }

    Context 'with bad input' {
        It 'stops with PathNotFound naming <Name>' -ForEach @(
            @{ Name = 'a run folder that does not exist'; Folder = 'absent'; Create = $false; Message = "Run folder '*absent' does not exist." }
            @{ Name = 'a folder without progress.csv'; Folder = 'empty'; Create = $true; Message = "'*empty' has no progress.csv*" }
        ) {
            $path = Join-Path $TestDrive $Folder
            if ($Create) { New-Item -ItemType Directory -Force -Path $path | Out-Null }

            $err = Get-TerminatingError { Import-HerMetric -Path $path }

            $err.FullyQualifiedErrorId | Should -Be 'PathNotFound,HerTools.PowerShell.Cmdlets.ImportHerMetricCommand'
            $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
            $err.Exception.Message | Should -BeLike $Message
        }

        It 'stops with InvalidMetricsFile (InvalidData) naming a log it cannot read' {
            $copy = Join-Path $TestDrive 'bad-log'
            New-Item -ItemType Directory -Path $copy | Out-Null
            Set-Content -Path (Join-Path $copy 'eval.csv') -Value "timesteps,episodes,success_rate,mean_return,mean_final_distance`nmany,1,0.5,-3,0.1"

            $err = Get-TerminatingError { Import-HerMetric -Path $copy -Kind Eval }

            $err.FullyQualifiedErrorId | Should -BeLike 'InvalidMetricsFile,*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*eval.csv: row * cannot be read*"
        }
    }
}

Describe 'Export-HerLearningCurve' {
    BeforeAll {
        function Get-PngSize([string] $Path) {
            $bytes = [System.IO.File]::ReadAllBytes($Path)
            $signature = [byte[]](0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A)
            if ([Linq.Enumerable]::SequenceEqual([byte[]]$bytes[0..7], $signature) -eq $false) { throw "$Path is not a PNG" }
            # IHDR: width and height, big-endian, at bytes 16..23.
            $width = [System.Buffers.Binary.BinaryPrimitives]::ReadInt32BigEndian([byte[]]$bytes[16..19])
            $height = [System.Buffers.Binary.BinaryPrimitives]::ReadInt32BigEndian([byte[]]$bytes[20..23])
            "${width}x${height}"
        }
    }

    It 'writes an 800x500 PNG of one run and returns the file' {
        $png = Join-Path $TestDrive 'curve.png'

        $file = Export-HerLearningCurve -Path $shared.RunDirectory -OutputPath $png

        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $png
        Get-PngSize $png | Should -Be '800x500'
    }

    It 'draws runs from the pipeline into one PNG of the size asked, creating its folder' {
        $png = Join-Path $TestDrive 'plots/two-runs.png'
        $second = New-ShortRun -OutputDirectory (Join-Path $TestDrive 'plotted') -Set @{ total_timesteps = 250 }

        $file = $shared, $second | Export-HerLearningCurve -OutputPath $png -Width 640 -Height 480 -Title 'two runs'

        @($file).Count | Should -Be 1
        Get-PngSize $png | Should -Be '640x480'
    }

    It 'writes nothing with -WhatIf' {
        $png = Join-Path $TestDrive 'whatif.png'

        $result = Export-HerLearningCurve -Path $shared.RunDirectory -OutputPath $png -WhatIf

        $result | Should -BeNullOrEmpty
        $png | Should -Not -Exist
    }

    It 'stops with PathNotFound for a folder without eval.csv' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'no-evals')

        $err = Get-TerminatingError { Export-HerLearningCurve -Path $empty.FullName -OutputPath (Join-Path $TestDrive 'x.png') }

        $err.FullyQualifiedErrorId | Should -Be 'PathNotFound,HerTools.PowerShell.Cmdlets.ExportHerLearningCurveCommand'
        Join-Path $TestDrive 'x.png' | Should -Not -Exist
    }
}
