using System.CommandLine;
using System.Globalization;
using HerTools.Cli.Output;
using HerTools.Core.Checkpoints;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools checkpoints RUN_DIR [--json]</c>: a run's complete checkpoints, newest first, through <see cref="CheckpointStore.List"/>.</summary>
internal sealed class CheckpointsCommand : Command
{
    private readonly Argument<string> _run = new("RUN_DIR") { Description = "A run folder (the one train wrote)." };

    private readonly Option<bool> _json = new("--json") { Description = "Print the checkpoints as JSON (camelCase) instead of a table." };

    public CheckpointsCommand(CliContext context) : base("checkpoints", "List a run's checkpoints, newest first: step, evaluation success, whether it is the best.")
    {
        Arguments.Add(_run.RejectingOptions());
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed.GetValue(_run)!, parsed.GetValue(_json)));
    }

    private static int Run(CliContext context, string runDirectory, bool json)
    {
        if (!Directory.Exists(runDirectory)) throw new UsageException($"run folder not found: {runDirectory}");
        var checkpoints = CheckpointStore.List(runDirectory);
        if (json)
        {
            CliJson.Write(context.Out, checkpoints);
            return ExitCodes.Success;
        }
        if (checkpoints.Count == 0)
        {
            context.Out.WriteLine($"{runDirectory} has no checkpoints yet.");
            return ExitCodes.Success;
        }
        var table = new TextTable("NAME", "STEP", "EPISODE", "EVAL", "BEST EVAL", "REPLAY", "SIZE", "CREATED (UTC)", "PATH");
        foreach (var c in checkpoints)
            table.Add(c.Name, c.Step.ToString(CultureInfo.InvariantCulture), c.Episode.ToString(CultureInfo.InvariantCulture),
                Format.Rate(c.EvalSuccessRate), Format.Rate(c.BestEvalSuccessRate), c.HasReplayBuffer ? "yes" : "no",
                Format.Bytes(c.TotalBytes), c.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), c.Path);
        table.Write(context.Out);
        return ExitCodes.Success;
    }
}
