# The text of the cmdlets' help. scripts/build-help.ps1 joins it with each cmdlet's parameter metadata
# (types, sets, positions, pipeline input, aliases) read from the built module, and writes
# module/en-US/HerTools.PowerShell.dll-Help.xml. Edit here, then run: pwsh scripts/build-help.ps1
#
# Every example runs as written (tests/pester/Help.Tests.ps1 runs them) in a folder holding one short run,
# runs/demo, made by: Start-HerTraining -Preset point_goal -TotalTimesteps 500 -OutputDirectory runs/demo
@{
    'Start-HerTraining' = @{
        Synopsis    = 'Trains DDPG with Hindsight Experience Replay into a run folder and returns the run.'
        Description = @(
            'Start-HerTraining resolves a run config from a shipped preset (-Preset), a YAML file (-ConfigPath), a config object from the pipeline (-Config) or a checkpoint to continue (-ResumeFrom), applies the -Set overrides and the -Seed, -TotalTimesteps and -Threads parameters, and trains it into -OutputDirectory. The run folder receives config.yaml, progress.csv, eval.csv and checkpoints/.'
            'While training, Write-Progress shows the environment steps done, steps per second, the training and evaluation success rates and the time left; -Verbose writes the resolved config before training starts, a line whenever the evaluation success changes, what the engine reports (the checkpoint written on a stop) and a summary at the end. When training ends the cmdlet returns one HerTools.PowerShell.HerRun object: the run folder and id, the resolved config, the status, timesteps, duration, the final and best evaluation success rates, the paths of progress.csv and eval.csv, and the last and best checkpoints.'
            'Press Ctrl+C to stop: the engine writes a checkpoint of the step it reached and returns; continue later with -ResumeFrom. Every config problem (a missing file, an unknown key, a value of the wrong type) is a terminating error that names the key and the file and line, or the override, before anything runs.'
            'With -WhatIf the cmdlet prints the fully resolved config as YAML (every key, defaults included) and creates nothing.'
        )
        Parameters  = @{
            Preset          = 'The name of a shipped preset: point_goal (PointGoal-v0, the reference) or bitflip (BitFlip-v0 with 10 bits). Get-HerPreset lists them with their YAML. Tab completes the names.'
            ConfigPath      = 'A YAML run config. Keys absent from the file keep their defaults; unknown keys are refused with the file and line.'
            Config          = 'A resolved config object (HerTools.Core.Config.RunConfig), for instance the Config property of a previous run. The overrides apply to a copy: the object piped in never changes.'
            Set             = 'Overrides applied after the config is read, as a hashtable of dotted keys: @{ ''ddpg.batch_size'' = 128; ''her.n_sampled_goal'' = 8 }. Arrays become YAML lists (@(64, 64)); strings are read as YAML. -Seed, -TotalTimesteps and -Threads are applied after -Set.'
            OutputDirectory = 'The run folder to train into; created if needed. It must not already hold a run unless you resume. Default: runs/NAME-seedN-yyyyMMdd-HHmmss under the current location, or the checkpoint''s own run folder with -ResumeFrom.'
            Seed            = 'The seed of every generator of the run (environment, exploration noise, replay sampling, network initialisation). The same seed and config give the same progress.csv and eval.csv, wall-clock columns aside.'
            TotalTimesteps  = 'Environment steps to train for (the config''s total_timesteps). When resuming, the new total the run continues to.'
            Threads         = 'TorchSharp intra-op threads for this run (the config''s threads). 1 is reproducible bit for bit and is what parallel runs should use.'
            ResumeFrom      = 'A checkpoint folder to continue from exactly, or a run folder for its latest checkpoint; Get-HerCheckpoint''s output binds here through its Path property. The config is that run''s config.yaml: only -TotalTimesteps (the new total to continue to) and -Threads may change it.'
            AcceptChangedEnvironment = 'With -ResumeFrom: continue even if an environment plug-in the config names (env.assembly) is not the file the checkpoint recorded (its SHA-256 differs). Without it such a resume stops with an EnvironmentPluginChanged error naming the file.'
            WhatIf          = 'Prints the resolved config and the run folder, and starts nothing.'
            Confirm         = 'Asks before training starts.'
        }
        Inputs      = @(
            @{ Type = 'HerTools.Core.Config.RunConfig'; Description = 'A config to train, bound to -Config.' }
            @{ Type = 'HerTools.Core.Checkpoints.CheckpointInfo'; Description = 'A checkpoint to resume from, bound to -ResumeFrom through its Path property.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.PowerShell.HerRun'; Description = 'The run: RunDirectory, RunId, Config, Status (Completed or Stopped), Timesteps, Episodes, Duration, StepsPerSecond, FinalEvalSuccessRate, BestEvalSuccessRate, ProgressCsv, EvalCsv, LastCheckpoint and BestCheckpoint.' }
        )
        Notes       = @(
            'Runs started side by side in one process (ForEach-Object -Parallel) each own their generators and thread count, and produce the same logs as when run alone. Each parallel runspace must import the module itself: pass the module''s path with $using:.'
            'Errors carry an id to match on: ConfigFileNotFound, InvalidConfig, RunDirectoryInUse, PathNotFound, InvalidCheckpoint, TrainingDiverged.'
        )
        Examples    = @(
            @{
                Title   = 'Train the reference preset'
                Code    = 'Start-HerTraining -Preset point_goal -TotalTimesteps 500 -OutputDirectory runs/first'
                Remarks = 'Trains DDPG+HER on PointGoal-v0 for 500 environment steps (the preset trains 3000) and returns the run with its evaluation success.'
            }
            @{
                Title   = 'Override keys and choose the seed'
                Code    = "Start-HerTraining -Preset point_goal -Set @{ 'ddpg.batch_size' = 64; 'her.n_sampled_goal' = 8; 'ddpg.hidden_sizes' = @(32, 32) } -Seed 3 -TotalTimesteps 500 -OutputDirectory runs/k8-seed3"
                Remarks = 'Any config key can be overridden by its dotted name; Get-HerPreset point_goal shows them with their values.'
            }
            @{
                Title   = 'See the resolved config without training'
                Code    = "Start-HerTraining -Preset bitflip -Set @{ 'env.n_bits' = 12 } -WhatIf"
                Remarks = 'Prints every key of the config the run would use, defaults included, and creates nothing.'
            }
            @{
                Title   = 'Train from a YAML file and watch what happens'
                Code    = @'
(Get-HerPreset point_goal).Yaml | Set-Content my-point-goal.yaml
Start-HerTraining -ConfigPath my-point-goal.yaml -TotalTimesteps 500 -OutputDirectory runs/from-file -Verbose
'@
                Remarks = 'Writes the preset to a file to edit, then trains from it; -Verbose shows the resolved config and how evaluation success moves.'
            }
            @{
                Title   = 'Continue a run from its latest checkpoint'
                Code    = 'Get-HerCheckpoint -Path runs/demo -Latest | Start-HerTraining -TotalTimesteps 750 -OutputDirectory runs/demo-continued'
                Remarks = 'The checkpoint binds to -ResumeFrom; training continues exactly where it stopped, to 750 steps, in a new run folder (without -OutputDirectory it continues in the checkpoint''s own folder).'
            }
            @{
                Title   = 'Train several seeds in parallel'
                Code    = @'
$module = (Get-Module HerTools).Path
1..2 | ForEach-Object -ThrottleLimit 2 -Parallel {
    Import-Module $using:module
    Start-HerTraining -Preset point_goal -Seed $_ -TotalTimesteps 500 -Threads 1 -OutputDirectory "runs/parallel-seed$_"
}
'@
                Remarks = 'Each run owns its generators and thread, so each result equals that of the same run started alone.'
            }
        )
        Links       = @('Get-HerPreset', 'Get-HerCheckpoint', 'Invoke-HerEval', 'Import-HerMetric', 'about_HerTools')
    }

    'Get-HerCheckpoint' = @{
        Synopsis    = 'Lists the checkpoints of run folders, newest first.'
        Description = @(
            'Get-HerCheckpoint reads the checkpoint.json of every checkpoint in the checkpoints/ folder of each run folder, without loading weights, and returns them newest first: path, name, run id, environment step and episode, the evaluation success at that step, environment, algorithm, creation time, and whether it is the best checkpoint.'
            '-Latest returns only the newest checkpoint of each run, -Best only the one with the best evaluation success. Run folders come from -Path or from the pipeline: the output of Start-HerTraining binds through its RunDirectory property.'
            'A run folder that does not exist, or a checkpoint whose checkpoint.json is missing or corrupt, is a terminating error naming the folder.'
            '-Verify checks every file of each checkpoint: its SHA-256 against checkpoint.json (the checkpoint is intact) and its content against the config and the environment, as a resume would load it. A checkpoint that fails is not output: an InvalidCheckpoint error names its file and field instead. The manifest proves integrity, not authenticity: see docs/checkpoints.md.'
        )
        Parameters  = @{
            Path   = 'Run folders. Bound from the pipeline as strings (Get-ChildItem runs -Directory) or through a RunDirectory property (Start-HerTraining''s output). A checkpoint folder stands for the run it belongs to.'
            Latest = 'Returns only the newest checkpoint of each run.'
            Best   = 'Returns only the checkpoint with the best evaluation success of each run (kept when checkpoint.keep_best is true).'
            Verify = 'Checks every file of each checkpoint (hash and content) and writes an InvalidCheckpoint error instead of the checkpoint for each one that fails.'
        }
        Inputs      = @(
            @{ Type = 'System.String'; Description = 'Run folder paths.' }
            @{ Type = 'HerTools.PowerShell.HerRun'; Description = 'A run, bound through its RunDirectory property.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.Core.Checkpoints.CheckpointInfo'; Description = 'Path, Name, RunId, Step, Episode, EvalSuccessRate, BestEvalSuccessRate, EnvId, Algorithm, Created, IsBest, HasReplayBuffer, FormatVersion and RunDirectory.' }
        )
        Examples    = @(
            @{
                Title   = 'List the checkpoints of a run'
                Code    = 'Get-HerCheckpoint -Path runs/demo'
                Remarks = 'Newest first.'
            }
            @{
                Title   = 'The best checkpoint, every property'
                Code    = 'Get-HerCheckpoint runs/demo -Best | Format-List *'
                Remarks = 'The checkpoint that scored the best evaluation success during training.'
            }
            @{
                Title   = 'Check a run''s checkpoints whole before sharing them'
                Code    = 'Get-HerCheckpoint runs/demo -Verify'
                Remarks = 'Every file hashed and loaded as a resume would; a checkpoint that fails is an error, not output.'
            }
            @{
                Title   = 'The latest checkpoint of every run under a folder'
                Code    = 'Get-ChildItem runs -Directory | Get-HerCheckpoint -Latest'
                Remarks = 'Folders piped as paths.'
            }
            @{
                Title   = 'Train, then take the best checkpoint and evaluate it'
                Code    = "Start-HerTraining -Preset point_goal -Set @{ total_timesteps = 300; 'eval.n_eval_episodes' = 5 } -OutputDirectory runs/chained | Get-HerCheckpoint -Best | Invoke-HerEval -Episodes 5"
                Remarks = 'The run binds through RunDirectory, the checkpoint through Path.'
            }
        )
        Links       = @('Start-HerTraining', 'Invoke-HerEval', 'about_HerTools')
    }

    'Invoke-HerEval' = @{
        Synopsis    = 'Evaluates a checkpoint''s policy over fixed-seed episodes.'
        Description = @(
            'Invoke-HerEval loads the policy of a checkpoint folder and runs it for -Episodes episodes with deterministic actions (no exploration noise), resetting episode i with seed -Seed + i, the protocol of the evaluations written to eval.csv during training. It returns the success rate (share of episodes whose last step reached the goal), the mean return and the mean final distance between achieved and desired goal.'
            'With -Detailed the result also carries one record per episode in its Episodes property: index, reset seed, success, return, final distance and length.'
            'A checkpoint folder that does not exist is an ObjectNotFound error; a corrupt checkpoint is an InvalidData error naming the file.'
        )
        Parameters  = @{
            Path     = 'A checkpoint folder (RUN/checkpoints/NAME), or a run folder for its latest checkpoint. Get-HerCheckpoint''s output binds through its Path property.'
            Episodes = 'Episodes to run. Default 100, as during training.'
            Seed     = 'Reset seed of the first episode; episode i uses Seed + i. By default the run''s own eval.eval_seed (read from the checkpoint''s config), the episodes of its training evaluations, so the result matches eval.csv.'
            Threads  = 'TorchSharp intra-op threads for the evaluation.'
            Detailed = 'Fills the result''s Episodes property with one record per episode.'
            AcceptChangedEnvironment = 'Evaluate even if an environment plug-in the run''s config names (env.assembly) is not the file the checkpoint recorded. Without it that is an EnvironmentPluginChanged error naming the file.'
        }
        Inputs      = @(
            @{ Type = 'HerTools.Core.Checkpoints.CheckpointInfo'; Description = 'A checkpoint, bound through its Path property.' }
            @{ Type = 'System.String'; Description = 'A checkpoint folder path.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.PowerShell.HerEvaluation'; Description = 'Checkpoint, EpisodeCount, Seed, SuccessRate, MeanReturn, MeanFinalDistance, and Episodes (HerTools.Core.Training.EpisodeRecord, with -Detailed).' }
        )
        Examples    = @(
            @{
                Title   = 'Evaluate the best checkpoint of a run'
                Code    = 'Get-HerCheckpoint runs/demo -Best | Invoke-HerEval -Episodes 20'
                Remarks = ''
            }
            @{
                Title   = 'Find the episodes that failed'
                Code    = '(Get-HerCheckpoint runs/demo -Latest | Invoke-HerEval -Episodes 10 -Seed 42 -Detailed).Episodes | Where-Object { -not $_.Success }'
                Remarks = 'Each episode record has its reset seed, so a failure can be replayed.'
            }
            @{
                Title   = 'Rank every checkpoint of a run'
                Code    = 'Get-HerCheckpoint runs/demo | Invoke-HerEval -Episodes 20 | Sort-Object SuccessRate -Descending'
                Remarks = ''
            }
        )
        Links       = @('Get-HerCheckpoint', 'Start-HerTraining', 'about_HerTools')
    }

    'Export-HerPolicy' = @{
        Synopsis    = 'Writes a checkpoint''s policy as a file that runs without TorchSharp.'
        Description = @(
            'Export-HerPolicy loads the policy of a checkpoint folder and writes what acting needs, and nothing of the learning state: the actor''s weights, the observation and goal normalisers'' statistics with their clip range, the scaling of actions to the environment''s bounds and the input layout (relative goals). -Format Htp (the default) writes a HerTools policy file that the HerTools.Policy library (a NuGet package without TorchSharp) loads with [HerTools.Policy.GoalPolicy]::Load; -Format Onnx writes an ONNX model with inputs observation, achieved_goal and desired_goal and output action, for ONNX Runtime and other runtimes.'
            'The exported policy gives the checkpoint''s actions to within 1e-5. An existing file is replaced only with -Force. With -WhatIf nothing is written.'
        )
        Parameters  = @{
            Path       = 'A checkpoint folder (RUN/checkpoints/NAME), or a run folder for its latest checkpoint. Get-HerCheckpoint''s output binds through its Path property.'
            OutputPath = 'The file to write. Default: policy.htp (policy.onnx with -Format Onnx) in the current location. Its folder is created if needed.'
            Format     = 'Htp (a HerTools policy file) or Onnx (an ONNX model, opset 17).'
            Force      = 'Replaces the output file if it exists.'
            WhatIf     = 'Shows the file that would be written, and writes nothing.'
            Confirm    = 'Asks before writing the file.'
        }
        Inputs      = @(
            @{ Type = 'HerTools.Core.Checkpoints.CheckpointInfo'; Description = 'A checkpoint, bound through its Path property.' }
            @{ Type = 'System.String'; Description = 'A checkpoint or run folder path.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.Core.Training.PolicyExportResult'; Description = 'OutputPath, Format, CheckpointPath, EnvironmentId, Algorithm, the observation, goal and action sizes, HiddenSizes, ParameterCount and Bytes.' }
        )
        Examples    = @(
            @{ Title = 'Export the latest checkpoint of a run'; Code = 'Export-HerPolicy runs/demo -OutputPath demo.htp'; Remarks = 'Load it in C# with GoalPolicy.Load("demo.htp") from the HerTools.Policy package.' }
            @{ Title = 'The best checkpoint as an ONNX model'; Code = 'Get-HerCheckpoint runs/demo -Best | Export-HerPolicy -OutputPath models/demo.onnx -Format Onnx -Force'; Remarks = 'The models folder is created.' }
        )
        Links       = @('Get-HerCheckpoint', 'Invoke-HerEval', 'about_HerTools')
    }

    'Get-HerEnvironment' = @{
        Synopsis    = 'Lists the registered goal environments and their options.'
        Description = @(
            'Get-HerEnvironment returns the goal environments the engine can train on (PointGoal-v0, BitFlip-v0, and those of the environment plug-ins loaded in this session), each with a description, its default time limit and its options: name, type, default, allowed range and meaning. Options are set in a config under env: (env.n_bits) or with Start-HerTraining -Set.'
            'With -Assembly it loads environment plug-ins first, as a config''s env.assembly key does (see Import-HerEnvironment).'
        )
        Parameters  = @{
            Name     = 'Environment ids; wildcards are allowed. All environments when omitted. Tab completes the ids.'
            Assembly = 'Environment plug-ins (.NET class libraries with [GoalEnvironment] classes) to load before listing; relative paths are relative to the current location.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Environment ids.' })
        Outputs     = @(@{ Type = 'HerTools.Core.Envs.EnvSpec'; Description = 'Id, Description, Options (HerTools.Core.Envs.EnvOption) and DefaultMaxEpisodeSteps.' })
        Examples    = @(
            @{ Title = 'List the environments'; Code = 'Get-HerEnvironment'; Remarks = '' }
            @{ Title = 'The options of one environment'; Code = 'Get-HerEnvironment BitFlip-v0 | Select-Object -ExpandProperty Options'; Remarks = 'Name, type, default, allowed values and meaning of each option.' }
            @{ Title = 'Environments matching a pattern'; Code = 'Get-HerEnvironment *Goal*'; Remarks = '' }
            @{ Title = 'The environments of a plug-in'; Code = 'Get-HerEnvironment Reach2D* -Assembly ./MyEnvs.dll'; Remarks = 'MyEnvs.dll is a class library of your own environments (docs/your-own-environment.md in the repository shows how to write one).' }
        )
        Links       = @('Import-HerEnvironment', 'Get-HerPreset', 'Start-HerTraining', 'about_HerTools')
    }

    'Import-HerEnvironment' = @{
        Synopsis    = 'Loads an environment plug-in for this session and writes the environments it registers.'
        Description = @(
            'Import-HerEnvironment loads a .NET class library whose public classes implement IGoalEnv and carry [GoalEnvironment("MyEnv-v0")] (or implement IGoalEnvFactory), in a load context of its own: its NuGet dependencies come from its .deps.json, the engine and TorchSharp from the module. Its environments are then listed, completed and checked like the built-in ones, and Start-HerTraining -Set @{ ''env.id'' = ''MyEnv-v0'' } trains one.'
            'A config names its plug-ins itself with the env.assembly key (a path relative to the config file), which every front end, resume, sweep and Slurm task loads; Import-HerEnvironment is for trying one out and for tab completion. Loading the same unchanged file again does nothing; a changed file is loaded afresh.'
            'A file that is missing, is not an assembly, declares no environment, or declares one id twice is an InvalidEnvironmentPlugin error naming the file and the type.'
        )
        Parameters  = @{
            Path = 'The plug-in''s assembly (.dll); relative to the current location. Get-ChildItem''s output binds through FullName.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Assembly paths (or files, through FullName).' })
        Outputs     = @(@{ Type = 'HerTools.Core.Envs.EnvSpec'; Description = 'The environments the plug-in registered: Id, Description, Options and DefaultMaxEpisodeSteps.' })
        Examples    = @(
            @{ Title = 'Load a plug-in and see its environments'; Code = 'Import-HerEnvironment ./MyEnvs.dll'; Remarks = 'Its environments (Reach2D-v0, ...) are now listed by Get-HerEnvironment and complete in -Id and -Set.' }
            @{
                Title   = 'Train an environment of a plug-in'
                Code    = @'
Import-HerEnvironment ./MyEnvs.dll | Out-Null
Start-HerTraining -Preset point_goal -Set @{ 'env.id' = 'Reach2D-v0'; 'env.assembly' = './MyEnvs.dll' } -WhatIf
'@
                Remarks = 'Naming the plug-in in env.assembly records it in the run, so a resume, a sweep or a Slurm task loads it too.'
            }
        )
        Links       = @('Get-HerEnvironment', 'Start-HerTraining', 'about_HerTools')
    }

    'Test-HerEnvironment' = @{
        Synopsis    = 'Checks a goal environment against the contract HER relies on and reports every violation.'
        Description = @(
            'Test-HerEnvironment makes the environment -Id (with the options in -Set) and plays -Episodes episodes with uniformly random actions, episode k reset with seed -Seed + k - 1. It checks the spaces, that observations have their shapes and lie in their spaces, that a seeded reset replays the same episode, that WriteState/ReadState continue it exactly (for an environment that implements ISavesState), that every step''s reward equals ComputeReward of its goals (HER recomputes every sampled reward that way), the same for ComputeTerminated and ComputeTruncated when implemented, that batched results equal row-by-row ones, the time limit, is_success, and that returned arrays are not reused.'
            'It returns one report (EnvId, Episodes, Transitions, Violations, Passed) and writes each violation as a warning. Training runs the cheap part of this check (no replays) on a plug-in''s environment the first time it trains it, and refuses one whose ComputeReward disagrees with its step rewards.'
        )
        Parameters  = @{
            Id       = 'The environment id (Get-HerEnvironment lists them). Tab completes the ids.'
            Assembly = 'Environment plug-ins (.NET class libraries) to load first; relative paths are relative to the current location.'
            Set      = 'The environment''s options as a hashtable of env.<option> keys: @{ ''env.n_bits'' = 12 }.'
            Episodes = 'Episodes to play. Default 5.'
            Seed     = 'Seed of the random actions; episode k is reset with Seed + k - 1. Default 0.'
        }
        Inputs      = @(@{ Type = 'HerTools.Core.Envs.EnvSpec'; Description = 'An environment, bound to -Id through its Id property.' })
        Outputs     = @(@{ Type = 'HerTools.Core.Envs.EnvCheckReport'; Description = 'EnvId, Episodes, Transitions, Violations (Check and Message each) and Passed.' })
        Examples    = @(
            @{ Title = 'Check a built-in environment'; Code = 'Test-HerEnvironment BitFlip-v0 -Set @{ ''env.n_bits'' = 12 } -Episodes 3'; Remarks = 'Passed is True: the built-in environments keep the contract.' }
            @{ Title = 'Check an environment of a plug-in'; Code = 'Test-HerEnvironment Reach2D-v0 -Assembly ./MyEnvs.dll -Episodes 10'; Remarks = 'Loads MyEnvs.dll, then plays and checks Reach2D-v0; each violation is a warning.' }
        )
        Links       = @('Get-HerEnvironment', 'Import-HerEnvironment', 'about_HerTools')
    }

    'Get-HerPreset' = @{
        Synopsis    = 'Lists the presets shipped with HerTools, with their YAML.'
        Description = @(
            'Get-HerPreset returns the run configs that ship inside the engine: their name, a one-line description and the YAML text. Start-HerTraining -Preset NAME trains one; save the YAML to a file to start your own config from it.'
        )
        Parameters  = @{
            Name = 'Preset names; wildcards are allowed. All presets when omitted. Tab completes the names.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Preset names.' })
        Outputs     = @(@{ Type = 'HerTools.Core.Config.PresetInfo'; Description = 'Name, Description and Yaml.' })
        Examples    = @(
            @{ Title = 'List the presets'; Code = 'Get-HerPreset'; Remarks = '' }
            @{ Title = 'Show a preset''s YAML'; Code = '(Get-HerPreset point_goal).Yaml'; Remarks = '' }
            @{
                Title   = 'Start your own config from a preset'
                Code    = @'
Get-HerPreset point_goal | ForEach-Object Yaml | Set-Content my-config.yaml
Start-HerTraining -ConfigPath my-config.yaml -WhatIf
'@
                Remarks = 'Edit my-config.yaml, then train it with Start-HerTraining -ConfigPath.'
            }
        )
        Links       = @('Start-HerTraining', 'Get-HerEnvironment', 'about_HerTools')
    }

    'Import-HerMetric' = @{
        Synopsis    = 'Reads the progress.csv or eval.csv of runs as typed rows.'
        Description = @(
            'Import-HerMetric reads the append-only logs a run writes: progress.csv (-Kind Progress, a row every log.log_interval steps: timesteps, episodes, gradient steps, wall time, steps per second, training success and return, losses, mean Q, the HER relabeled and reward-0 shares, the latest evaluation success) or eval.csv (-Kind Eval, a row per evaluation: timesteps, episodes, success rate, mean return, mean final distance).'
            'Every row has the run''s folder (RunDirectory) and id (RunId) attached, so the rows of several runs piped in together can be grouped, compared and exported. Reading is safe while the run is still writing; a torn last line is skipped.'
        )
        Parameters  = @{
            Path = 'Run folders. Bound from the pipeline as strings or through a RunDirectory property (Start-HerTraining''s output); a checkpoint folder stands for its run.'
            Kind = 'Progress (progress.csv, the default) or Eval (eval.csv).'
        }
        Inputs      = @(
            @{ Type = 'System.String'; Description = 'Run folder paths.' }
            @{ Type = 'HerTools.PowerShell.HerRun'; Description = 'A run, bound through its RunDirectory property.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.Core.Metrics.ProgressRow'; Description = 'With -Kind Progress, plus a RunDirectory note property.' }
            @{ Type = 'HerTools.Core.Metrics.EvalRow'; Description = 'With -Kind Eval, plus RunDirectory and RunId note properties.' }
        )
        Examples    = @(
            @{ Title = 'A run''s progress'; Code = 'Import-HerMetric -Path runs/demo'; Remarks = '' }
            @{ Title = 'A run''s evaluations'; Code = 'Import-HerMetric runs/demo -Kind Eval | Format-Table Timesteps, SuccessRate, MeanFinalDistance'; Remarks = '' }
            @{
                Title   = 'The best evaluation of every run under a folder'
                Code    = @'
Get-ChildItem runs -Directory | Import-HerMetric -Kind Eval | Group-Object RunId | ForEach-Object {
    [pscustomobject]@{ Run = $_.Name; BestSuccess = ($_.Group | Measure-Object SuccessRate -Maximum).Maximum }
}
'@
                Remarks = ''
            }
            @{ Title = 'How much of each batch HER relabeled'; Code = 'Import-HerMetric runs/demo | Select-Object Timesteps, RelabeledShare, Reward0Share'; Remarks = 'The relabeled share should sit near her_ratio (k/(k+1) for n_sampled_goal k) once learning starts.' }
        )
        Links       = @('Export-HerLearningCurve', 'Start-HerTraining', 'about_HerTools')
    }

    'Export-HerLearningCurve' = @{
        Synopsis    = 'Draws evaluation success against environment steps for runs into a PNG.'
        Description = @(
            'Export-HerLearningCurve reads the eval.csv of each run folder and draws one line per run, evaluation success rate against environment steps, labelled with the run id, into a PNG. Run folders come from -Path or the pipeline, so runs of a sweep can be drawn together. It returns the file written.'
            'A run without evaluations yet gets a warning and an empty line. With -WhatIf nothing is written.'
            'With -Metric it draws another column instead: eval.csv''s mean_return or mean_final_distance, or any numeric progress.csv column (critic_loss, relabeled_share, ...). With -GroupBy it draws one line per group of runs sharing the values of the given config keys (a sweep configuration''s seeds): the mean at each step every run of the group has logged, shaded from the group''s lowest to its highest run. Get-HerSweep DIR | Export-HerLearningCurve -GroupBy ddpg.actor_lr plots a sweep that way.'
        )
        Parameters  = @{
            Path       = 'Run folders. Bound from the pipeline as strings or through a RunDirectory property (Start-HerTraining''s output).'
            OutputPath = 'The PNG to write; its folder is created if needed, an existing file is replaced.'
            Title      = 'The plot''s title.'
            Metric     = 'The column to plot: success_rate (default), mean_return or mean_final_distance of eval.csv, or any numeric progress.csv column. An unknown column is refused with the list.'
            GroupBy    = 'Config keys (ddpg.actor_lr, env.n_bits, ...) whose values group the runs, read from each run''s config.yaml: one line per group, its mean, with a band from its lowest to its highest run.'
            Width      = 'Width in pixels (default 800).'
            Height     = 'Height in pixels (default 500).'
            WhatIf     = 'Shows the file that would be written, and writes nothing.'
            Confirm    = 'Asks before writing the file.'
        }
        Inputs      = @(
            @{ Type = 'System.String'; Description = 'Run folder paths.' }
            @{ Type = 'HerTools.PowerShell.HerRun'; Description = 'A run, bound through its RunDirectory property.' }
        )
        Outputs     = @(@{ Type = 'System.IO.FileInfo'; Description = 'The PNG written.' })
        Examples    = @(
            @{ Title = 'One run'; Code = 'Export-HerLearningCurve -Path runs/demo -OutputPath demo.png'; Remarks = '' }
            @{ Title = 'Every run under a folder, one line each'; Code = "Get-ChildItem runs -Directory | Export-HerLearningCurve -OutputPath plots/all-runs.png -Title 'PointGoal-v0, DDPG+HER'"; Remarks = 'The plots folder is created.' }
            @{ Title = 'See what would be written'; Code = 'Export-HerLearningCurve runs/demo -OutputPath demo-big.png -Width 1600 -Height 1000 -WhatIf'; Remarks = '' }
            @{ Title = 'A progress.csv column'; Code = 'Export-HerLearningCurve runs/demo -OutputPath critic-loss.png -Metric critic_loss'; Remarks = '' }
            @{ Title = 'One line per learning rate, a band over the seeds'; Code = 'Get-ChildItem runs -Directory | Export-HerLearningCurve -OutputPath by-lr.png -GroupBy ddpg.actor_lr'; Remarks = 'With a sweep: Get-HerSweep sweeps/x | Export-HerLearningCurve -OutputPath by-lr.png -GroupBy ddpg.actor_lr.' }
        )
        Links       = @('Import-HerMetric', 'Start-HerTraining', 'about_HerTools')
    }

    'Test-HerTorch' = @{
        Synopsis    = 'Multiplies two small matrices with TorchSharp, proving its native backend loads in this session.'
        Description = @(
            'Test-HerTorch creates two tensors from -Left and -Right, multiplies them with torch.matmul and returns the product with the libtorch and TorchSharp versions it computed with. Without arguments it multiplies [[1,2],[3,4]] by [[5,6],[7,8]].'
            'Run it first when training fails to start: a native library that cannot load is reported here with TorchSharp''s own explanation (error id TorchFailed). Matrices whose shapes do not fit (ShapeMismatch) or ragged rows (RaggedMatrix) are refused before TorchSharp sees them.'
        )
        Parameters  = @{
            Left  = 'The left matrix, as an array of rows. Default: [[1,2],[3,4]].'
            Right = 'The right matrix, as an array of rows; it needs as many rows as -Left has columns. Default: [[5,6],[7,8]].'
        }
        Inputs      = @(@{ Type = 'None'; Description = 'Test-HerTorch takes no pipeline input.' })
        Outputs     = @(@{ Type = 'HerTools.PowerShell.HerTorchCheck'; Description = 'Product (the rows of the product), LibTorchVersion and TorchSharpVersion.' })
        Examples    = @(
            @{ Title = 'Check that TorchSharp computes here'; Code = 'Test-HerTorch'; Remarks = 'Product is 19,22 and 43,50.' }
            @{ Title = 'Multiply a row by a column'; Code = '(Test-HerTorch -Left (,@(1, 2, 3)) -Right @(@(4), @(5), @(6))).Product'; Remarks = 'Returns 32.' }
        )
        Links       = @('about_HerTools')
    }

    'Start-HerSweep' = @{
        Synopsis    = 'Runs a sweep file (grid, random search, seeds) locally or as a Slurm job array and returns every run''s status.'
        Description = @(
            'Start-HerSweep reads a sweep file (docs/sweeps.md: a base preset or config, fixed overrides under set:, a grid: and/or random: search over dotted config keys, seeds:, and the local and slurm settings), expands it into runs, and lays out the sweep folder -OutputDirectory: sweep.yaml (the resolved definition), runs.csv (one row per run), runs/<run_id>/ (ordinary run folders) and sweep.csv (the summary). Every problem of the file (an unknown key, a value of the wrong type, a set: value the base refuses) is a terminating error naming the key and the file and line, before anything runs. A grid or random value that its key refuses only fails that run.'
            'With the local backend the runs that are not done are trained in this session, -Throttle at a time, each on its own thread with its own generators and one TorchSharp thread; Write-Progress counts the runs finished and -Verbose writes a line as each ends. A run that fails is recorded with its error and the others go on. Ctrl+C makes every running run write a checkpoint and stop; Resume-HerSweep continues them exactly.'
            'With the Slurm backend the runs are submitted as one job array (sbatch --array=...%max_concurrent --requeue --signal=B:TERM@N); each task runs her-tools sweep task for its row, resuming from the run''s latest checkpoint, so a preempted or requeued task loses nothing. The cmdlet returns at once with the runs'' status; follow them with Get-HerSweep.'
            'A folder that already holds the same sweep is continued: runs that are done are not trained again.'
            'A sweep file with a search: section (rungs, reduction_factor, metric, seeds) runs successive halving instead: every configuration trains to the first rung''s budget, the best are promoted and continue exactly from their checkpoints to the next rung, and the best of the last rung is chosen (the run objects'' Rung, RungBudget, Score and Decision say how far each got and why). Locally the whole search runs in this session; on Slurm each call submits the rung that can be submitted, and Resume-HerSweep goes on once its tasks are done. scripts/asha-point-goal.ps1 is a worked example.'
        )
        Parameters  = @{
            Path            = 'The sweep file (YAML). Bound from the pipeline through a FullName property (Get-ChildItem *.yaml).'
            OutputDirectory = 'The sweep folder: new or empty, or one holding the same sweep (then only its unfinished runs run). A folder holding another sweep or other files is refused.'
            Backend         = 'Local (train in this session) or Slurm (submit a job array). Default: the sweep file''s backend: key, local if absent.'
            Throttle        = 'Local backend: runs trained at the same time. Default: the sweep file''s local.throttle, else the processor count.'
            HerToolsPath    = 'Slurm backend: the her-tools executable each array task runs (her-tools sweep task DIR INDEX). Default: her-tools found on PATH.'
            WhatIf          = 'Shows how many runs would start and where, and creates nothing.'
            Confirm         = 'Asks before the sweep folder is made and the runs start.'
        }
        Inputs      = @(
            @{ Type = 'System.IO.FileInfo'; Description = 'A sweep file, bound to -Path through its FullName property.' }
        )
        Outputs     = @(
            @{ Type = 'HerTools.Core.Sweeps.SweepRunStatus'; Description = 'One per run: Index, RunId, RunDirectory, Point (the run''s grid and random values), Seed, State (Pending, Running, Done, Failed, Stopped), Timesteps, FinalEvalSuccessRate, BestEvalSuccessRate, StepsToThreshold, WallTimeSeconds, LastCheckpoint, Error, SlurmJobId and SchedulerState.' }
        )
        Notes       = @(
            'The runs'' RunDirectory binds to Get-HerCheckpoint, Import-HerMetric and Export-HerLearningCurve.'
            'scripts/slurm-local.sh starts a single-node Slurm on a Debian machine for trying the Slurm backend.'
        )
        Examples    = @(
            @{
                Title   = 'Sweep the HER ratio against two seeds on this machine'
                Code    = "@('preset: point_goal', 'set: {total_timesteps: 300}', 'grid: {her.her_ratio: [0.0, 0.8]}', 'seeds: [1, 2]') | Set-Content ratio.yaml; Start-HerSweep ratio.yaml -OutputDirectory sweeps/ratio -Throttle 2"
                Remarks = 'Four runs, two at a time; the folder''s sweep.csv summarises them.'
            }
            @{
                Title   = 'See what submitting the same sweep to Slurm would do'
                Code    = "@('preset: point_goal', 'grid: {her.her_ratio: [0.0, 0.8]}', 'seeds: [1, 2]') | Set-Content ratio-slurm.yaml; Start-HerSweep ratio-slurm.yaml -OutputDirectory sweeps/ratio-slurm -Backend Slurm -WhatIf"
                Remarks = 'Without -WhatIf the four runs go to Slurm as one job array.'
            }
        )
        Links       = @('Get-HerSweep', 'Resume-HerSweep', 'Stop-HerSweep', 'about_HerTools')
    }

    'Get-HerSweep' = @{
        Synopsis    = 'Lists the runs of sweep folders with their status, progress and evaluation success.'
        Description = @(
            'Get-HerSweep reads each run of a sweep folder from its run folder (status.json, progress.csv, eval.csv and checkpoints) and, for a sweep submitted to Slurm, what squeue says of its tasks. A run recorded as running whose process or Slurm task is gone is reported Stopped.'
            'Each run''s RunDirectory is an ordinary run folder: pipe the runs into Get-HerCheckpoint, Import-HerMetric or Export-HerLearningCurve. -State keeps only runs in the given states.'
            'For a search (a sweep file with search:) each run also carries Rung (the last rung its trial entered), RungBudget, Score (its trial''s metric there, the mean over seeds when they are aggregated) and Decision: Pending, Promoted, Stopped (not promoted), Failed, Finished or Chosen.'
        )
        Parameters  = @{
            Path  = 'Sweep folders (the -OutputDirectory of Start-HerSweep), as strings or from the pipeline.'
            State = 'Only runs in these states: Pending, Running, Done, Failed, Stopped.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'Sweep folder paths.' })
        Outputs     = @(@{ Type = 'HerTools.Core.Sweeps.SweepRunStatus'; Description = 'One per run, as Start-HerSweep returns them.' })
        Examples    = @(
            @{
                Title   = 'Run a small sweep, then list its runs'
                Code    = "@('preset: point_goal', 'set: {total_timesteps: 300}', 'seeds: [1, 2]') | Set-Content seeds.yaml; `$null = Start-HerSweep seeds.yaml -OutputDirectory sweeps/seeds; Get-HerSweep sweeps/seeds"
                Remarks = 'One row per run with its state, steps and evaluation success.'
            }
            @{
                Title   = 'Pipe the finished runs into the run cmdlets'
                Code    = "@('preset: point_goal', 'set: {total_timesteps: 300}', 'seeds: [3, 4]') | Set-Content pipe.yaml; `$null = Start-HerSweep pipe.yaml -OutputDirectory sweeps/pipe; Get-HerSweep sweeps/pipe -State Done | Get-HerCheckpoint -Latest; Get-HerSweep sweeps/pipe | Export-HerLearningCurve -OutputPath sweeps/pipe/curve.png"
                Remarks = 'Each run binds through its RunDirectory property.'
            }
        )
        Links       = @('Start-HerSweep', 'Get-HerCheckpoint', 'Import-HerMetric', 'Export-HerLearningCurve', 'about_HerTools')
    }

    'Resume-HerSweep' = @{
        Synopsis    = 'Starts the runs of a sweep folder that are not done, each from its latest checkpoint.'
        Description = @(
            'Resume-HerSweep opens a sweep folder and starts its runs that are pending, stopped or failed, locally or on Slurm like Start-HerSweep; a stopped run continues exactly from its latest checkpoint. Runs that are done, or running in another live process or Slurm task, are left alone. It returns every run''s status.'
        )
        Parameters  = @{
            Path         = 'The sweep folder.'
            Backend      = 'Local or Slurm. Default: the backend in the folder''s sweep.yaml.'
            Throttle     = 'Local backend: runs trained at the same time. Default: the sweep''s local.throttle, else the processor count.'
            HerToolsPath = 'Slurm backend: the her-tools executable each array task runs. Default: her-tools found on PATH.'
            WhatIf       = 'Shows how many runs would start, and starts nothing.'
            Confirm      = 'Asks before the runs start.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'A sweep folder path.' })
        Outputs     = @(@{ Type = 'HerTools.Core.Sweeps.SweepRunStatus'; Description = 'One per run, as Start-HerSweep returns them.' })
        Examples    = @(
            @{
                Title   = 'Finish a sweep'
                Code    = "@('preset: point_goal', 'set: {total_timesteps: 300}') | Set-Content one.yaml; `$null = Start-HerSweep one.yaml -OutputDirectory sweeps/one; Resume-HerSweep sweeps/one"
                Remarks = 'Here every run is already done, so nothing trains again.'
            }
        )
        Links       = @('Start-HerSweep', 'Stop-HerSweep', 'about_HerTools')
    }

    'Stop-HerSweep' = @{
        Synopsis    = 'Cancels the Slurm tasks of a sweep; running ones write a checkpoint first.'
        Description = @(
            'Stop-HerSweep cancels the queued and running tasks of a sweep submitted to Slurm (scancel on the job ids in slurm/jobs.txt). A running task gets SIGTERM, writes a checkpoint and stops; Resume-HerSweep later continues it from there. A local sweep stops with Ctrl+C in the session running it; for a folder never submitted to Slurm the cmdlet writes a non-terminating error (SweepNotOnSlurm).'
        )
        Parameters  = @{
            Path     = 'The sweep folder.'
            PassThru = 'Returns the Slurm job ids cancelled.'
            WhatIf   = 'Shows the jobs that would be cancelled.'
            Confirm  = 'Asks before cancelling.'
        }
        Inputs      = @(@{ Type = 'System.String'; Description = 'A sweep folder path.' })
        Outputs     = @(@{ Type = 'System.String'; Description = 'With -PassThru, the job ids cancelled.' })
        Examples    = @(
            @{
                Title   = 'Stop every Slurm sweep under this folder'
                Code    = 'Get-ChildItem . -Recurse -Filter jobs.txt | ForEach-Object { $_.Directory.Parent.FullName } | Stop-HerSweep -WhatIf'
                Remarks = 'A sweep submitted to Slurm keeps its job ids in slurm/jobs.txt; drop -WhatIf to cancel them.'
            }
        )
        Links       = @('Start-HerSweep', 'Resume-HerSweep', 'about_HerTools')
    }
}
