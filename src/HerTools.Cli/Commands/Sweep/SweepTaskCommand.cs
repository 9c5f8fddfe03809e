using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep task DIR INDEX</c>: what a Slurm array task runs. Trains run INDEX of runs.csv in its folder,
/// resuming from its latest checkpoint; SIGTERM writes a checkpoint and stops (exit code 130).</summary>
internal sealed class SweepTaskCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };
    private readonly Argument<int> _index = new("INDEX") { Description = "The run's row in runs.csv ($SLURM_ARRAY_TASK_ID)." };

    public SweepTaskCommand(CliContext context) : base("task",
        "Train one run of a sweep (what each Slurm array task runs); resumes from its latest checkpoint.")
    {
        Hidden = true;
        Arguments.Add(_dir.RejectingOptions());
        Arguments.Add(_index);
        SetAction(parsed =>
        {
            var status = SweepTask.Run(parsed.GetValue(_dir)!, parsed.GetValue(_index), context.Stop);
            context.Out.WriteLine(SweepTable.Line(status));
            return status.State switch
            {
                SweepRunState.Done => ExitCodes.Success,
                SweepRunState.Stopped => ExitCodes.Stopped,
                _ => ExitCodes.RuntimeFailure,
            };
        });
    }
}
