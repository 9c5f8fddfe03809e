using System.Collections;
using System.Globalization;
using System.Management.Automation;
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

    /// <summary>A resolved config, e.g. from <c>Get-HerPreset</c>'s or a previous run's <c>Config</c>.</summary>
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

    [Parameter]
    public ulong? Seed { get; set; }

    [Parameter]
    [ValidateRange(1, long.MaxValue)]
    public long? TotalTimesteps { get; set; }

    /// <summary>TorchSharp threads for this run (the config's <c>threads</c>).</summary>
    [Parameter]
    [ValidateRange(1, 256)]
    public int? Threads { get; set; }

    /// <summary>A checkpoint folder to continue from exactly. Alone, the config is the checkpoint run's <c>config.yaml</c>.</summary>
    [Parameter(ParameterSetName = PresetSet)]
    [Parameter(ParameterSetName = ConfigPathSet)]
    [Parameter(ParameterSetName = ConfigSet)]
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? ResumeFrom { get; set; }

    protected override void ProcessRecord()
    {
        string? resumeFrom = ResumeFrom is null ? null : ResolveExistingDirectory(ResumeFrom, "Checkpoint folder");
        var (config, name) = LoadConfig(resumeFrom);
        string runDirectory = ChooseRunDirectory(config, name, resumeFrom);

        string yaml = config.ToYaml();
        string action = resumeFrom is null
            ? $"Train {config.Env.Id} with {config.Algo} for {config.TotalTimesteps:N0} steps into '{runDirectory}' with this config:"
            : $"Resume from '{resumeFrom}' to {config.TotalTimesteps:N0} steps into '{runDirectory}' with this config:";
        if (!ShouldProcess($"{action}{Environment.NewLine}{yaml}", $"Start training into '{runDirectory}'?", "Start-HerTraining"))
            return;

        WriteVerbose($"{action.TrimEnd(':')} (config hash {config.ComputeHash()}).");
        var result = Train(config, runDirectory, resumeFrom);
        if (result is null) return;
        WriteVerbose($"Run '{result.RunId}' {result.Status.ToString().ToLowerInvariant()} at {result.Timesteps:N0} steps after {result.Duration:hh\\:mm\\:ss}; "
            + $"final evaluation success {Percent(result.FinalEvalSuccessRate)}, best {Percent(result.BestEvalSuccessRate)}.");
        WriteObject(HerRun.From(result));
    }

    protected override void StopProcessing()
    {
        try { _cancel?.Cancel(); } catch (ObjectDisposedException) { }
    }

    private (HerConfig Config, string Name) LoadConfig(string? resumeFrom)
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
                    // Through YAML so the piped object is validated like a file and never changed in place.
                    return (ConfigLoader.LoadYaml(Config!.ToYaml(), "pipeline config", overrides), Config.Env.Id);
                default:
                    string runConfig = RunFiles.ConfigPath(CheckpointRunDirectory(resumeFrom!));
                    return (ConfigLoader.LoadFile(runConfig, overrides), System.IO.Path.GetFileName(CheckpointRunDirectory(resumeFrom!)));
            }
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowEngineError(e, ParameterSetName == ConfigPathSet ? ConfigPath : Preset);
            throw; // not reached: ThrowTerminatingError throws
        }
    }

    private string ChooseRunDirectory(HerConfig config, string name, string? resumeFrom)
    {
        string runDirectory;
        if (OutputDirectory is not null) runDirectory = ResolvePath(OutputDirectory);
        else if (resumeFrom is not null) runDirectory = CheckpointRunDirectory(resumeFrom);
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

        var record = new ProgressRecord(1, $"Training {config.Env.Id} ({config.Algo})", "starting");
        foreach (var update in progress.Drain())
        {
            // After Ctrl+C nothing may be written; keep waiting until the engine has saved its checkpoint.
            if (Stopping) continue;
            Report(record, update);
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
        record.RecordType = ProgressRecordType.Completed;
        WriteProgress(record);
        return result;
    }

    private void Report(ProgressRecord record, TrainingProgress update)
    {
        string success = update.TrainSuccessRate is double train ? $", success {train:P0}" : "";
        string eval = update.LastEvalSuccessRate is double e ? $", eval {e:P0}" : "";
        record.StatusDescription = $"{update.Timesteps:N0} / {update.TotalTimesteps:N0} steps, {update.StepsPerSecond:N0} steps/s{success}{eval}";
        record.PercentComplete = (int)Math.Round(update.FractionDone * 100);
        record.SecondsRemaining = update.Remaining is TimeSpan left ? (int)Math.Ceiling(left.TotalSeconds) : -1;
        record.CurrentOperation = update.Message ?? "";
        WriteProgress(record);
        if (update.Message is not null) WriteVerbose($"[{update.Timesteps:N0} steps] {update.Message}");
    }

    private static string CheckpointRunDirectory(string checkpoint) =>
        System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(System.IO.Path.TrimEndingDirectorySeparator(checkpoint))!)!;

    private static string Percent(double? rate) => rate is double r ? r.ToString("P0", CultureInfo.CurrentCulture) : "n/a";
}
