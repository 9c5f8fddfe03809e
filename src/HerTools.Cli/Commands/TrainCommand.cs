using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Config;
using HerTools.Core.Training;

namespace HerTools.Cli.Commands;

/// <summary>
/// <c>her-tools train [CONFIG] [--preset NAME] [--set key=value ...] [--output DIR] [--seed N] [--total-timesteps N]
/// [--resume CHECKPOINT] [--threads N]</c>: one training run into one run folder: a <see cref="TrainingRequest"/> resolved and trained by the engine.
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
        Description = "The run folder to write (default: runs/<run_id, preset or config name>-seed<N>-<UTC time>; with --resume, the checkpoint's run).",
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
        Description = "Continue exactly from a checkpoint folder, or a run folder's latest checkpoint (a run killed before its first checkpoint " +
            "starts again, its partial logs set aside), in that run's folder unless --output says otherwise. " +
            "The checkpoint's config is used; only total_timesteps and threads may change.",
        HelpName = "CHECKPOINT",
    };

    private readonly Option<bool> _acceptChangedEnv = new("--accept-changed-env")
    {
        Description = "With --resume: go on even if an environment plug-in (env.assembly) is not the file the checkpoint was trained with.",
    };

    private readonly Option<int?> _threads = new("--threads")
    {
        Description = "Same as --set threads=N (TorchSharp threads).",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<int>(minimum: 1),
    };

    public TrainCommand(CliContext context) : base("train",
        "Train the algorithm a config or preset names (DDPG, TD3 or SAC, with or without HER); Ctrl+C stops after writing a checkpoint (exit code 130).")
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
        Options.Add(_acceptChangedEnv);
        SetAction(parsed => Run(context, parsed));
    }

    private int Run(CliContext context, ParseResult parsed)
    {
        var request = new TrainingRequest
        {
            ConfigPath = parsed.GetValue(_config),
            Preset = parsed.GetValue(_preset),
            Overrides = parsed.GetValue(_set) ?? [],
            Seed = parsed.GetValue(_seed),
            TotalTimesteps = parsed.GetValue(_totalTimesteps),
            Threads = parsed.GetValue(_threads),
            Output = parsed.GetValue(_output),
            Resume = parsed.GetValue(_resume),
            AcceptChangedEnvPlugin = parsed.GetValue(_acceptChangedEnv),
        };
        using var session = TrainingSession.Open(request.Resolve());
        var plan = session.Plan;
        context.Out.WriteLine($"Training {plan.Config.Env.Id} ({plan.Config.Algo}, seed {plan.Config.Seed}) " +
            $"for {Format.Count(plan.Config.TotalTimesteps)} steps into {session.RunDirectory}"
            + (session.ResumeFrom is null ? "" : $", resuming from {session.ResumeFrom}"));
        if (session.PartialLogsSetAside is string aside)
            context.Out.WriteLine($"The run never reached a checkpoint: starting it again, its earlier logs moved to {aside}");
        // A live bar on a terminal, plain lines for logs and CI.
        var bar = context.LiveProgress ? new ProgressBar(context.Out, ConsoleLineWidth()) : null;
        IProgress<TrainingProgress> progress = bar ?? (IProgress<TrainingProgress>)new ProgressLines(context.Out, TimeSpan.FromSeconds(1));
        TrainingResult result;
        try { result = session.Run(progress, context.Stop); }
        finally { bar?.Finish(); }
        TrainingSummary.Write(context.Out, result);
        return result.Status == TrainingStatus.Stopped ? ExitCodes.Stopped : ExitCodes.Success;
    }

    private static int ConsoleLineWidth()
    {
        try { return Math.Max(40, Console.WindowWidth - 1); }
        catch (IOException) { return 100; }
    }
}
