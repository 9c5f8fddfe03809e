using System.CommandLine;
using System.Globalization;
using HerTools.Cli.Output;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Cli.Commands;

/// <summary>
/// <c>her-tools train [CONFIG] [--preset NAME] [--set key=value ...] [--output DIR] [--seed N] [--total-timesteps N]
/// [--resume CHECKPOINT] [--threads N]</c>: one training run into one run folder, through <see cref="HerTrainer.TrainHer"/>.
/// </summary>
internal sealed class TrainCommand : Command
{
    private readonly Argument<string?> _config = new("CONFIG")
    {
        Description = "A run config (YAML). Keys it leaves out keep their defaults.",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private readonly Option<string?> _preset = new("--preset")
    {
        Description = "Start from a shipped preset instead of a file (see 'her-tools presets').",
        HelpName = "NAME",
    };

    private readonly Option<string[]> _set = new("--set")
    {
        Description = "Override one config key, e.g. --set ddpg.batch_size=128; repeat for more. The value is read as YAML.",
        HelpName = "key=value",
    };

    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "The run folder to write (default: runs/<preset or config name>-<UTC time>; with --resume, the checkpoint's run).",
        HelpName = "DIR",
    };

    private readonly Option<ulong?> _seed = new("--seed")
    {
        Description = "Same as --set seed=N.",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<ulong>(),
    };

    private readonly Option<long?> _totalTimesteps = new("--total-timesteps")
    {
        Description = "Same as --set total_timesteps=N.",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<long>(),
    };

    private readonly Option<string?> _resume = new("--resume")
    {
        Description = "Continue exactly from a checkpoint folder, or a run folder's latest checkpoint, in that run's folder unless --output says otherwise. " +
            "The checkpoint's config is used when no CONFIG or --preset is given; only total_timesteps and threads may change.",
        HelpName = "CHECKPOINT",
    };

    private readonly Option<int?> _threads = new("--threads")
    {
        Description = "Same as --set threads=N (TorchSharp threads).",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<int>(minimum: 1),
    };

    public TrainCommand(CliContext context) : base("train", "Train DDPG+HER on a config or preset; Ctrl+C stops after writing a checkpoint (exit code 130).")
    {
        _preset.CompletionSources.Add(_ => Presets.List().Select(p => p.Name));
        Arguments.Add(_config.RejectingOptions());
        Options.Add(_preset);
        Options.Add(_set);
        Options.Add(_output);
        Options.Add(_seed);
        Options.Add(_totalTimesteps);
        Options.Add(_resume);
        Options.Add(_threads);
        SetAction(parsed => Run(context, parsed));
    }

    private int Run(CliContext context, ParseResult parsed)
    {
        string? resume = parsed.GetValue(_resume) is string given ? CheckpointArgument.Resolve(given) : null;
        string? resumedRun = resume is null ? null : CheckpointStore.ReadInfo(resume).RunDirectory;

        var (config, name) = LoadConfig(parsed.GetValue(_config), parsed.GetValue(_preset), resume, Overrides(parsed));
        string runDirectory = parsed.GetValue(_output) ?? resumedRun ?? DefaultRunDirectory(name);

        context.Out.WriteLine($"Training {config.Env.Id} ({config.Algo}, seed {config.Seed}) for {Format.Count(config.TotalTimesteps)} steps into " +
            $"{runDirectory}"
            + (resume is null ? "" : $", resuming from {resume}"));
        // A live bar on a terminal, plain lines for logs and CI.
        var bar = context.LiveProgress ? new ProgressBar(context.Out, ConsoleLineWidth()) : null;
        IProgress<TrainingProgress> progress = bar ?? (IProgress<TrainingProgress>)new ProgressLines(context.Out, TimeSpan.FromSeconds(1));
        TrainingResult result;
        try { result = HerTrainer.TrainHer(config, runDirectory, progress, context.Stop, resume); }
        finally { bar?.Finish(); }
        TrainingSummary.Write(context.Out, result);
        return result.Status == TrainingStatus.Stopped ? ExitCodes.Stopped : ExitCodes.Success;
    }

    /// <summary>The --set overrides in order, then the dedicated options, so those win.</summary>
    private List<string> Overrides(ParseResult parsed)
    {
        var overrides = new List<string>(parsed.GetValue(_set) ?? []);
        if (parsed.GetValue(_seed) is ulong seed) overrides.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        if (parsed.GetValue(_totalTimesteps) is long total) overrides.Add("total_timesteps=" + total.ToString(CultureInfo.InvariantCulture));
        if (parsed.GetValue(_threads) is int threads) overrides.Add("threads=" + threads.ToString(CultureInfo.InvariantCulture));
        return overrides;
    }

    /// <summary>The config and the name a default run folder is called after.</summary>
    private static (HerConfig Config, string Name) LoadConfig(string? configPath, string? preset, string? resume, List<string> overrides)
    {
        if (configPath is not null && preset is not null)
            throw new UsageException("give either a CONFIG file or --preset, not both");
        if (configPath is not null)
            return (ConfigLoader.LoadFile(configPath, overrides), Path.GetFileNameWithoutExtension(configPath));
        if (preset is not null)
            return (ConfigLoader.LoadPreset(preset, overrides), Presets.Find(preset)?.Name ?? preset);
        // A checkpoint keeps the config it was trained with; on resume only total_timesteps and threads may differ.
        if (resume is not null)
            return (ConfigLoader.LoadFile(Path.Combine(resume, RunFiles.Config), overrides), Path.GetFileName(resume));
        throw new UsageException("give a CONFIG file or --preset NAME ('her-tools presets' lists them), or --resume CHECKPOINT");
    }

    /// <summary><c>runs/NAME-yyyyMMdd-HHmmss</c> (UTC), with a suffix should a run of the same second exist.</summary>
    internal static string DefaultRunDirectory(string name, DateTimeOffset? now = null)
    {
        string stamp = (now ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string path = Path.Combine("runs", $"{name}-{stamp}");
        for (int n = 2; Directory.Exists(path) || File.Exists(path); n++) path = Path.Combine("runs", $"{name}-{stamp}-{n}");
        return path;
    }

    private static int ConsoleLineWidth()
    {
        try { return Math.Max(40, Console.WindowWidth - 1); }
        catch (IOException) { return 100; }
    }
}
