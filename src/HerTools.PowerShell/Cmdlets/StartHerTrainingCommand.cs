using System.Collections;
using System.Globalization;
using System.Management.Automation;
using HerTools.Core.Config;
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
    public RunConfig? Config { get; set; }

    /// <summary>Dotted-key overrides applied after the config is read: <c>@{ 'ddpg.batch_size' = 128 }</c>.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Set { get; set; }

    /// <summary>The run folder; default <c>runs/NAME-seedN-TIME</c> (UTC) under the current location, or the checkpoint's run when resuming.</summary>
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

    /// <summary>A checkpoint folder (or a run folder, for its latest checkpoint; a run killed before its first checkpoint
    /// starts again) to continue from exactly, with the checkpoint's config; only <c>total_timesteps</c> and <c>threads</c> may change.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ResumeSet)]
    [Alias("Path")]
    [ValidateNotNullOrEmpty]
    public string? ResumeFrom { get; set; }

    /// <summary>With <c>-ResumeFrom</c>: go on even if an environment plug-in (<c>env.assembly</c>) is not the file the
    /// checkpoint was trained with.</summary>
    [Parameter(ParameterSetName = ResumeSet)]
    public SwitchParameter AcceptChangedEnvironment { get; set; }

    protected override void ProcessRecord()
    {
        var request = new TrainingRequest
        {
            ConfigPath = ParameterSetName == ConfigPathSet ? ResolvePath(ConfigPath) : null,
            Preset = ParameterSetName == PresetSet ? Preset : null,
            Config = ParameterSetName == ConfigSet ? Config : null,
            // A path in an override (env.assembly) is relative to the current location, as a path parameter is.
            Overrides = Set is null ? [] : OverrideText.FromTable(Set, ResolvePath).ToList(),
            Seed = Seed,
            TotalTimesteps = TotalTimesteps,
            Threads = Threads,
            Output = OutputDirectory is null ? null : ResolvePath(OutputDirectory),
            Resume = ResumeFrom is null ? null : ResolvePath(ResumeFrom),
            RunsRoot = ResolvePath("runs"),
            AcceptChangedEnvPlugin = AcceptChangedEnvironment,
        };
        TrainingPlan plan;
        try { plan = request.Resolve(); }
        catch (Exception e) { ThrowEngineError(e, request.ConfigPath ?? request.Resume ?? request.Preset); throw; }

        // -WhatIf prints this description, and -Verbose writes it before training starts: the resolved config, every key.
        string description = $"{plan.Describe()} with this config (hash {plan.Config.ComputeHash()}):{Environment.NewLine}{plan.Config.ToYaml()}";
        if (!ShouldProcess(description, $"Start training into '{plan.RunDirectory}'?", "Start-HerTraining"))
            return;

        var result = Train(plan);
        if (result is null) return;
        WriteVerbose($"Run '{result.RunId}' {result.Status.ToString().ToLowerInvariant()} at {result.Timesteps:N0} steps after {result.Duration:hh\\:mm\\:ss}; "
            + $"final evaluation success {Percent(result.FinalEvalSuccessRate)}, best {Percent(result.BestEvalSuccessRate)}.");
        WriteObject(HerRun.From(result));
    }

    protected override void StopProcessing()
    {
        try { _cancel?.Cancel(); } catch (ObjectDisposedException) { }
    }

    private TrainingResult? Train(TrainingPlan plan)
    {
        TrainingSession session;
        try { session = TrainingSession.Open(plan); }
        catch (Exception e) { ThrowEngineError(e, plan.RunDirectory); throw; }
        using var owned = session;
        if (session.PartialLogsSetAside is string aside)
            WriteWarning($"The run never reached a checkpoint: starting it again, its earlier logs moved to '{aside}'.");

        using var cancel = new CancellationTokenSource();
        using var progress = new QueuedProgress();
        _cancel = cancel;
        var worker = Task.Factory.StartNew(() =>
        {
            try { return session.Run(progress, cancel.Token); }
            finally { progress.Complete(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        string activity = $"Training {plan.Config.Env.Id} ({plan.Config.Algo})";
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
            ThrowEngineError(e, session.RunDirectory);
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
