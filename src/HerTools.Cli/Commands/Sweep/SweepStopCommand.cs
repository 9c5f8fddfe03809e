using System.CommandLine;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep stop DIR</c>: cancels the sweep's Slurm tasks; running ones write a checkpoint first.</summary>
internal sealed class SweepStopCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };

    public SweepStopCommand(CliContext context) : base("stop",
        "Cancel a Slurm sweep's queued and running tasks (running ones checkpoint and stop); 'sweep resume' continues it.")
    {
        Arguments.Add(_dir.RejectingOptions());
        SetAction(parsed =>
        {
            var folder = SweepFolder.Open(parsed.GetValue(_dir)!);
            if (!SweepRunner.IsOnSlurm(folder))
                throw new UsageException($"{folder.Directory} was never submitted to Slurm; a local sweep stops with Ctrl+C in the process running it");
            var cancelled = SweepRunner.Stop(folder);
            context.Out.WriteLine(cancelled.Count == 0 ? "No task of the sweep is queued or running." : $"Cancelled job {string.Join(", ", cancelled)}.");
            return ExitCodes.Success;
        });
    }
}
