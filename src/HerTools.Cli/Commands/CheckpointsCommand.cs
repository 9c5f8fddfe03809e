using System.CommandLine;
using System.Globalization;
using HerTools.Cli.Output;
using HerTools.Core.Checkpoints;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools checkpoints RUN_DIR [--verify] [--json]</c>: a run's complete checkpoints, newest first, through
/// <see cref="RunRecords.Checkpoints"/>; with <c>--verify</c> each one checked whole through <see cref="CheckpointVerifier.VerifyRun"/>.</summary>
internal sealed class CheckpointsCommand : Command
{
    private readonly Argument<string> _run = new("RUN_DIR") { Description = "A run folder (the one train wrote)." };

    private readonly Option<bool> _verify = new("--verify")
    {
        Description = "Check every file of every checkpoint: its SHA-256 against checkpoint.json, and its content against the config and the environment. " +
            "Exit 1 if one fails.",
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the checkpoints as JSON (snake_case keys) instead of a table." };

    public CheckpointsCommand(CliContext context) : base("checkpoints",
        "List a run's checkpoints, newest first: step, evaluation success, whether it is the best.")
    {
        Arguments.Add(_run.RejectingOptions());
        Options.Add(_verify);
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed.GetValue(_run)!, parsed.GetValue(_verify), parsed.GetValue(_json)));
    }

    private static int Run(CliContext context, string runDirectory, bool verify, bool json)
    {
        if (!Directory.Exists(runDirectory)) throw new UsageException($"run folder not found: {runDirectory}");
        if (verify) return RunVerified(context, runDirectory, json);
        var checkpoints = RunRecords.Checkpoints(runDirectory);
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
        var table = Table(verified: false);
        foreach (var c in checkpoints) table.Add(Row(c, verified: null));
        table.Write(context.Out);
        return ExitCodes.Success;
    }

    private static int RunVerified(CliContext context, string runDirectory, bool json)
    {
        var results = CheckpointVerifier.VerifyRun(runDirectory);
        if (json)
        {
            CliJson.Write(context.Out, results.Select(r => new { r.Checkpoint, r.IsValid, Problem = r.Error?.Message }));
        }
        else if (results.Count == 0)
        {
            context.Out.WriteLine($"{runDirectory} has no checkpoints yet.");
        }
        else
        {
            var table = Table(verified: true);
            foreach (var r in results) table.Add(Row(r.Checkpoint, r.IsValid ? "ok" : "FAILED"));
            table.Write(context.Out);
        }
        foreach (var failed in results.Where(r => !r.IsValid)) context.Error.WriteLine($"her-tools: {failed.Error!.Message}");
        return results.All(r => r.IsValid) ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }

    private static TextTable Table(bool verified) =>
        new(["NAME", "STEP", "EPISODE", "EVAL", "BEST EVAL", "REPLAY", "SIZE", "CREATED (UTC)", .. (verified ? (string[])["VERIFIED"] : []), "PATH"]);

    private static string[] Row(CheckpointInfo c, string? verified) =>
    [
        c.Name, c.Step.ToString(CultureInfo.InvariantCulture), c.Episode.ToString(CultureInfo.InvariantCulture),
        Format.Rate(c.EvalSuccessRate), Format.Rate(c.BestEvalSuccessRate), c.HasReplayBuffer ? "yes" : "no",
        Format.Bytes(c.TotalBytes), c.Created.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        .. (verified is null ? (string[])[] : [verified]), c.Path,
    ];
}
