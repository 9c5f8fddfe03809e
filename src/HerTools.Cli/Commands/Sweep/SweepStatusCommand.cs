using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep status DIR [--json]</c>: every run's status from its folder and the Slurm queue; rebuilds sweep.csv.</summary>
internal sealed class SweepStatusCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };
    private readonly Option<bool> _json = new("--json") { Description = "Print the runs as JSON (snake_case keys) instead of a table." };

    public SweepStatusCommand(CliContext context) : base("status", "Show each run's status, progress and evaluation success (run folders and squeue).")
    {
        Arguments.Add(_dir.RejectingOptions());
        Options.Add(_json);
        SetAction(parsed =>
        {
            var statuses = SweepRunner.Status(SweepFolder.Open(parsed.GetValue(_dir)!), context.Stop);
            if (parsed.GetValue(_json)) CliJson.Write(context.Out, statuses);
            else SweepTable.Write(context.Out, statuses);
            return ExitCodes.Success;
        });
    }
}
