using System.Globalization;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Core.Training;

/// <summary>
/// A training as the user asked for it, in either front end: a config source (a file, a preset or a config object; none
/// when resuming), overrides, the dedicated seed/budget/threads options, an output folder and a checkpoint or run to resume.
/// <see cref="Resolve"/> turns it into a <see cref="TrainingPlan"/>: the config and the run folder, decided here and
/// nowhere else, and every refusal made before any folder is created.
/// </summary>
public sealed record TrainingRequest
{
    /// <summary>A YAML run config.</summary>
    public string? ConfigPath { get; init; }
    /// <summary>A shipped preset's name.</summary>
    public string? Preset { get; init; }
    /// <summary>A resolved config (a previous run's); the overrides apply to a copy.</summary>
    public RunConfig? Config { get; init; }
    /// <summary><c>dotted.key=value</c> overrides, in order.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];
    /// <summary>The seed (applied after <see cref="Overrides"/>, so it wins).</summary>
    public ulong? Seed { get; init; }
    /// <summary>The budget; when resuming, the new total.</summary>
    public long? TotalTimesteps { get; init; }
    /// <summary>TorchSharp threads.</summary>
    public int? Threads { get; init; }
    /// <summary>The run folder; default: a new folder under <see cref="RunsRoot"/> (see <see cref="RunFolder.DefaultName"/>),
    /// or when resuming, the checkpoint's run.</summary>
    public string? Output { get; init; }
    /// <summary>A checkpoint folder, its <c>checkpoint.json</c>, or a run folder (its latest checkpoint; a run killed before
    /// its first checkpoint starts again from the start).</summary>
    public string? Resume { get; init; }
    /// <summary>What a sweep task wants: the run in <see cref="Output"/> continues if it has started, and starts otherwise.</summary>
    public bool ContinueIfStarted { get; init; }
    /// <summary>A resume goes on even if an environment plug-in (<c>env.assembly</c>) is not the file its checkpoint
    /// recorded (a deliberate choice; without it such a resume is refused with <see cref="EnvPluginChangedException"/>).</summary>
    public bool AcceptChangedEnvPlugin { get; init; }
    /// <summary>Where default run folders go (a front end passes its current folder's <c>runs</c>).</summary>
    public string RunsRoot { get; init; } = "runs";

    /// <summary>Loads and checks the config and decides the run folder; creates nothing.</summary>
    /// <exception cref="ConfigException">The config, an override or the budget is refused.</exception>
    /// <exception cref="RunRequestException">The sources conflict or are missing, or a path named does not exist.</exception>
    /// <exception cref="CheckpointException">The checkpoint to resume is unreadable.</exception>
    /// <exception cref="RunFolderInUseException">A new run's folder already holds one.</exception>
    public TrainingPlan Resolve()
    {
        int sources = (ConfigPath is null ? 0 : 1) + (Preset is null ? 0 : 1) + (Config is null ? 0 : 1);
        if (sources > 1) throw new RunRequestException("give either a CONFIG file or --preset (or a config object), not both");
        var overrides = AllOverrides();
        var now = DateTimeOffset.UtcNow;

        ResumePoint? resume = Resume is null ? null : ResumePoint.Find(Resume);
        if (resume is null && ContinueIfStarted && Output is not null && RunFolder.RunFilesIn(Full(Output)).Count > 0)
            resume = ResumePoint.Find(Output);

        RunConfig? requested = sources > 0 ? LoadRequested(overrides) : null;
        if (requested is not null) CheckRunnable(requested);
        if (resume is not null)
        {
            // Which config a resume uses: the checkpoint's (or the started run's), only the budget and threads may change.
            // Its plug-ins before its config: reading the config loads them, and a missing one is named as such.
            if (resume.Checkpoint is { } checkpoint) EnvPluginRecord.Verify(checkpoint.Path, AcceptChangedEnvPlugin);
            var saved = resume.LoadSavedConfig();
            // A checkpoint's step is checked against the budget once its state has vouched for it (RunResume.CheckBudget,
            // before anything is written): a damaged manifest is then refused as the checkpoint's fault.
            var config = ResumeRules.Merge(saved, requested ?? WithOverrides(saved, overrides, resume.SavedConfigPath),
                resume.Checkpoint is null ? resume.Step : 0, resume.Describe());
            string? output = Output is null ? null : Full(Output);
            string runDirectory = output ?? resume.RunDirectory ?? throw new RunRequestException(
                $"{resume.Checkpoint!.Path} is not inside a run's {RunFiles.Checkpoints}/ folder, so it has no run to continue; " +
                "give the folder to continue in with --output (Start-HerTraining -OutputDirectory)");
            bool sameRun = resume.RunDirectory is not null && SameFolder(resume.RunDirectory, runDirectory);
            if (!sameRun)
            {
                if (resume.Checkpoint is null)
                    throw new RunRequestException($"{resume.RunDirectory} has no complete checkpoint to branch from; resume it in its own folder");
                if (RunFolder.RunFilesIn(runDirectory) is { Count: > 0 } found) throw new RunFolderInUseException(runDirectory, found);
            }
            return new TrainingPlan(config, runDirectory, sameRun ? RunFolderClaim.Continue : RunFolderClaim.New, resume.Checkpoint,
                RestartsFromTheStart: sameRun && resume.Checkpoint is null, PicksLatest: resume.GivenAsRun, RunsRoot: null, Stem: null, now)
            { AcceptChangedEnvPlugin = AcceptChangedEnvPlugin };
        }

        var newConfig = requested ?? throw new RunRequestException(
            "give a CONFIG file or --preset NAME ('her-tools presets' lists them), or --resume CHECKPOINT");
        if (Output is not null)
        {
            string output = Full(Output);
            if (RunFolder.RunFilesIn(output) is { Count: > 0 } found) throw new RunFolderInUseException(output, found);
            return new TrainingPlan(newConfig, output, RunFolderClaim.New, null, false, false, null, null, now);
        }
        string stem = newConfig.RunId.Length > 0 ? newConfig.RunId : NameStem(newConfig);
        string root = Full(RunsRoot);
        return new TrainingPlan(newConfig, RunFolder.ProposeDefault(root, stem, newConfig.Seed, now), RunFolderClaim.Default, null,
            false, false, root, stem, now);
    }

    /// <summary>Refuses a config that would fail once the run is built (its folder then already made): the environment
    /// is made once, as training would, to read its episode length.</summary>
    private void CheckRunnable(RunConfig config)
    {
        var env = GoalEnvFactory.Make(config);
        try { ConfigValidator.CheckRunnable(config, env.MaxEpisodeSteps, ConfigPath ?? (Preset is null ? "config object" : $"preset:{Preset}")); }
        finally { (env as IDisposable)?.Dispose(); }
    }

    private List<string> AllOverrides()
    {
        var overrides = new List<string>(Overrides);
        if (Seed is ulong seed) overrides.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        if (TotalTimesteps is long total) overrides.Add("total_timesteps=" + total.ToString(CultureInfo.InvariantCulture));
        if (Threads is int threads) overrides.Add("threads=" + threads.ToString(CultureInfo.InvariantCulture));
        return overrides;
    }

    private RunConfig LoadRequested(List<string> overrides)
    {
        if (ConfigPath is not null) return ConfigLoader.LoadFile(ConfigPath, overrides);
        if (Preset is not null) return ConfigLoader.LoadPreset(Preset, overrides);
        return WithOverrides(Config!, overrides, "config object");
    }

    private static RunConfig WithOverrides(RunConfig config, List<string> overrides, string sourceName)
    {
        // A copy, so the object given never changes.
        var copy = config.Clone();
        foreach (string text in overrides) ConfigLoader.ApplyOverride(copy, text);
        ConfigValidator.Validate(copy, sourceName);
        return copy;
    }

    private string NameStem(RunConfig config) =>
        Preset is not null ? Presets.Find(Preset)?.Name ?? Preset
        : ConfigPath is not null ? Path.GetFileNameWithoutExtension(ConfigPath)
        : config.Env.Id;

    private static string Full(string path) => Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));

    internal static bool SameFolder(string a, string b) => string.Equals(Full(a), Full(b), StringComparison.Ordinal);
}
