using System.Collections;
using System.Globalization;
using System.Management.Automation;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;
using HerTools.PowerShell.Completion;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Trains DDPG+HER from a preset, a YAML file, a config object or a checkpoint into one run folder and returns
/// the run. Training runs on a worker thread; progress comes back to this thread for <c>Write-Progress</c>.
/// Ctrl+C cancels the engine's token: it writes a checkpoint and stops.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "HerTraining", DefaultParameterSetName = PresetSet, SupportsShouldProcess = true)]
[OutputType(typeof(HerRun))]
public sealed class StartHerTrainingCommand : HerCmdlet
{
    private const string PresetSet = "Preset";
    private const string ConfigPathSet = "ConfigPath";
    private const string ConfigSet = "Config";
    private const string ResumeSet = "Resume";

    private const int ProgressActivityId = 1;

    private CancellationTokenSource? _cancel;
    private readonly HashSet<string> _runDirectoriesUsed = new(StringComparer.Ordinal);

    /// <summary>A shipped preset (<c>Get-HerPreset</c> lists them).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = PresetSet)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Preset { get; set; } = "";

    /// <summary>A YAML run config.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConfigPathSet)]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    /// <summary>A resolved config, e.g. a previous run's <c>Config</c>; overrides apply to a copy.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ConfigSet)]
    [ValidateNotNull]
    public HerConfig? Config { get; set; }

    /// <summary>Dotted-key overrides applied after the config is read: <c>@{ 'ddpg.batch_size' = 128 }</c>.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Set { get; set; }

    /// <summary>The run folder; default <c>runs/NAME-seedN-TIME</c> under the current location, or the checkpoint's run when resuming.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputDirectory { get; set; }

    /// <summary>The seed of every generator of the run (the config's <c>seed</c>).</summary>
    [Parameter]
    public ulong? Seed { get; set; }

    /// <summary>Environment steps to train for (the config's <c>total_timesteps</c>); when resuming, the new total.</summary>
    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? TotalTimesteps { get; set; }

    /// <summary>TorchSharp threads for this run (the config's <c>threads</c>).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int? Threads { get; set; }

    /// <summary>A checkpoint folder (or a run folder, for its latest checkpoint) to continue from exactly, with
    /// the checkpoint run's <c>config.yaml</c>; only <c>total_timesteps</c> and <c>threads</c> may change.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? ResumeFrom { get; set; }

    protected override void ProcessRecord()
    {
        CheckpointInfo? resumeFrom = ResumeFrom is null ? null : ReadCheckpoint(ResumeFrom);
        var (config, name) = LoadConfig(resumeFrom);
        string runDirectory = ChooseRunDirectory(config, name, resumeFrom);

        // -WhatIf prints this description, and -Verbose writes it before training starts: the resolved config, every key.
        string action = resumeFrom is null
            ? $"Train {config.Env.Id} with {config.Algo} for {config.TotalTimesteps:N0} steps into '{runDirectory}'"
            : $"Resume from '{resumeFrom.Path}' (step {resumeFrom.Step:N0}) to {config.TotalTimesteps:N0} steps into '{runDirectory}'";
        string description = $"{action} with this config (hash {config.ComputeHash()}):{Environment.NewLine}{config.ToYaml()}";
        if (!ShouldProcess(description, $"Start training into '{runDirectory}'?", "Start-HerTraining"))
            return;

        var result = Train(config, runDirectory, resumeFrom?.Path);
        if (result is null) return;
        WriteVerbose($"Run '{result.RunId}' {result.Status.ToString().ToLowerInvariant()} at {result.Timesteps:N0} steps after {result.Duration:hh\\:mm\\:ss}; "
            + $"final evaluation success {Percent(result.FinalEvalSuccessRate)}, best {Percent(result.BestEvalSuccessRate)}.");
        WriteObject(HerRun.From(result));
    }

    protected override void StopProcessing()
    {
        try { _cancel?.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>The checkpoint to resume from: a checkpoint folder, or a run folder for its latest checkpoint.
    /// Its <c>checkpoint.json</c> is read now, so a corrupt one stops the cmdlet before anything starts.</summary>
    private CheckpointInfo ReadCheckpoint(string path)
    {
        string given = ResolveExistingDirectory(path, "Checkpoint folder");
        try { return CheckpointStore.ReadInfo(CheckpointStore.ResolveCheckpointPath(given)); }
        catch (Exception e) { ThrowEngineError(e, given); throw; }
    }

    private (HerConfig Config, string Name) LoadConfig(CheckpointInfo? resumeFrom)
    {
        var overrides = new List<string>();
        if (Set is not null) overrides.AddRange(OverrideText.FromTable(Set));
        if (Seed is ulong seed) overrides.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        if (TotalTimesteps is long steps) overrides.Add("total_timesteps=" + steps.ToString(CultureInfo.InvariantCulture));
        if (Threads is int threads) overrides.Add("threads=" + threads.ToString(CultureInfo.InvariantCulture));

        try
        {
            switch (ParameterSetName)
            {
                case PresetSet:
                    return (ConfigLoader.LoadPreset(Preset, overrides), Presets.Find(Preset)?.Name ?? Preset);
                case ConfigPathSet:
                    string path = ResolvePath(ConfigPath);
                    return (ConfigLoader.LoadFile(path, overrides), System.IO.Path.GetFileNameWithoutExtension(path));
                case ConfigSet:
                    // A copy, so the piped object never changes; the engine checks the whole config before training.
                    var copy = Config!.Clone();
                    foreach (string text in overrides) ConfigLoader.ApplyOverride(copy, text);
                    return (copy, Config.Env.Id);
                default:
                    // The run's config.yaml is the checkpoint's config; the engine refuses any other change
                    // than total_timesteps and threads.
                    string runConfig = RunFiles.ConfigPath(resumeFrom!.RunDirectory);
                    return (ConfigLoader.LoadFile(runConfig, overrides), System.IO.Path.GetFileName(resumeFrom.RunDirectory));
            }
        }
        catch (Exception e)
        {
            ThrowEngineError(e, ParameterSetName == ConfigPathSet ? ConfigPath : Preset);
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    private string ChooseRunDirectory(HerConfig config, string name, CheckpointInfo? resumeFrom)
    {
        string runDirectory;
        if (OutputDirectory is not null) runDirectory = ResolvePath(OutputDirectory);
        else if (resumeFrom is not null) runDirectory = resumeFrom.RunDirectory;
        else
        {
            string stem = config.RunId.Length > 0 ? config.RunId : $"{name}-seed{config.Seed}";
            string baseName = System.IO.Path.Combine(ResolvePath("runs"), $"{stem}-{DateTime.Now:yyyyMMdd-HHmmss}");
            runDirectory = baseName;
            for (int n = 2; Directory.Exists(runDirectory) || _runDirectoriesUsed.Contains(runDirectory); n++) runDirectory = $"{baseName}-{n}";
        }

        // Appending a second run's rows to a run folder's logs would mix two runs; only a resume continues one.
        if (resumeFrom is null && (File.Exists(RunFiles.ProgressPath(runDirectory)) || _runDirectoriesUsed.Contains(runDirectory)))
            ThrowTerminatingError(new ErrorRecord(
                new IOException($"'{runDirectory}' already holds a run; choose another -OutputDirectory, or continue it with -ResumeFrom <checkpoint>."),
                "RunDirectoryInUse", ErrorCategory.ResourceExists, runDirectory));
        _runDirectoriesUsed.Add(runDirectory);
        return runDirectory;
    }

    private TrainingResult? Train(HerConfig config, string runDirectory, string? resumeFrom)
    {
        using var cancel = new CancellationTokenSource();
        using var progress = new QueuedProgress();
        _cancel = cancel;
        var worker = Task.Factory.StartNew(() =>
        {
            try { return HerTrainer.TrainHer(config, runDirectory, progress, cancel.Token, resumeFrom); }
            finally { progress.Complete(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        string activity = $"Training {config.Env.Id} ({config.Algo})";
        double? lastEval = null;
        foreach (var update in progress.Drain())
        {
            // After Ctrl+C nothing may be written; keep waiting until the engine has saved its checkpoint.
            if (Stopping) continue;
            WriteProgress(ToProgressRecord(activity, update));
            if (update.Message is not null && update.IsWarning) WriteWarning($"[{update.Timesteps:N0} steps] {update.Message}");
            else if (update.Message is not null) WriteVerbose($"[{update.Timesteps:N0} steps] {update.Message}");
            if (update.LastEvalSuccessRate is double eval && eval != lastEval)
                WriteVerbose($"[{update.Timesteps:N0} steps] evaluation success {eval:0.00}");
            lastEval = update.LastEvalSuccessRate;
        }

        TrainingResult result;
        try { result = worker.GetAwaiter().GetResult(); }
        catch (Exception e)
        {
            if (Stopping) return null;
            ThrowEngineError(e, runDirectory);
            return null;
        }
        finally { _cancel = null; }

        if (Stopping) return null;
        WriteProgress(new ProgressRecord(ProgressActivityId, activity, "done") { RecordType = ProgressRecordType.Completed, PercentComplete = 100 });
        return result;
    }

    private static ProgressRecord ToProgressRecord(string activity, TrainingProgress update)
    {
        string success = update.TrainSuccessRate is double train ? $", success {train:P0}" : "";
        string eval = update.LastEvalSuccessRate is double e ? $", eval {e:P0}" : "";
        return new ProgressRecord(ProgressActivityId, activity,
            $"{update.Timesteps:N0} / {update.TotalTimesteps:N0} steps, {update.StepsPerSecond:N0} steps/s{success}{eval}")
        {
            PercentComplete = (int)Math.Round(update.FractionDone * 100),
            SecondsRemaining = update.Remaining is TimeSpan left ? (int)Math.Ceiling(left.TotalSeconds) : -1,
            CurrentOperation = update.Message ?? "",
        };
    }

    private static string Percent(double? rate) => rate is double r ? r.ToString("P0", CultureInfo.CurrentCulture) : "n/a";
}
