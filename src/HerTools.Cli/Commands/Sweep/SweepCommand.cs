using System.CommandLine;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep run|status|collect|resume|stop|task</c>: one sweep file, run locally or as a Slurm job array.</summary>
internal sealed class SweepCommand : Command
{
    public SweepCommand(CliContext context) : base("sweep", "Run a sweep (grid, random search, seeds) locally or as a Slurm job array; see docs/sweeps.md.")
    {
        Subcommands.Add(new SweepRunCommand(context));
        Subcommands.Add(new SweepStatusCommand(context));
        Subcommands.Add(new SweepCollectCommand(context));
        Subcommands.Add(new SweepResumeCommand(context));
        Subcommands.Add(new SweepStopCommand(context));
        Subcommands.Add(new SweepTaskCommand(context));
    }
}
