using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Training;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools eval CHECKPOINT [--episodes N] [--seed N] [--json]</c>: the deterministic policy of a
/// checkpoint over fixed-seed episodes, through <see cref="Evaluator.EvaluateCheckpoint"/>.</summary>
internal sealed class EvalCommand : Command
{
    private const int DefaultEpisodes = 100;

    private readonly Argument<string> _checkpoint = new("CHECKPOINT")
    {
        Description = "A checkpoint folder (run/checkpoints/step_N or run/checkpoints/best), or a run folder for its latest checkpoint.",
    };

    private readonly Option<int> _episodes = new("--episodes")
    {
        Description = "Evaluation episodes.",
        HelpName = "N",
        DefaultValueFactory = _ => DefaultEpisodes,
        CustomParser = NumberParsing.Required<int>(minimum: 1),
    };

    private readonly Option<ulong?> _seed = new("--seed")
    {
        Description = "Reset seed of the first episode; episode i uses seed + i. Default: the run's eval.eval_seed, the episodes its training evaluations " +
            "used.",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<ulong>(),
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON (snake_case keys) instead of text." };

    public EvalCommand(CliContext context) : base("eval", "Evaluate a checkpoint's policy (no exploration noise) over fixed-seed episodes.")
    {
        Arguments.Add(_checkpoint.RejectingOptions());
        Options.Add(_episodes);
        Options.Add(_seed);
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed.GetValue(_checkpoint)!, parsed.GetValue(_episodes), parsed.GetValue(_seed), parsed.GetValue(_json)));
    }

    private static int Run(CliContext context, string checkpoint, int episodes, ulong? seed, bool json)
    {
        string path = CheckpointArgument.Resolve(checkpoint);
        // Ctrl+C or SIGTERM stops between episodes (exit code 130); a second signal ends the process at once.
        EvaluationResult result = Evaluator.EvaluateCheckpoint(path, episodes, seed, cancellationToken: context.Stop);
        if (json)
        {
            CliJson.Write(context.Out, result);
            return ExitCodes.Success;
        }
        var table = new TextTable("field", "value");
        table.Add("checkpoint", path);
        table.Add("episodes", $"{result.EpisodeCount} (reset seeds {result.FirstSeed}..{result.FirstSeed + (ulong)episodes - 1})");
        table.Add("success rate", Format.Number(result.SuccessRate, "0.000"));
        table.Add("mean return", Format.Number(result.MeanReturn, "0.000"));
        table.Add("mean final distance", Format.Number(result.MeanFinalDistance, "0.0000"));
        table.Write(context.Out, header: false);
        return ExitCodes.Success;
    }
}
