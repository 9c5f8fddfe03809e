using System.CommandLine;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep resume DIR [--backend local|slurm] [--throttle N]</c>: starts only the runs that are not done,
/// each from its latest checkpoint.</summary>
internal sealed class SweepResumeCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };
    private readonly Option<string?> _backend = SweepBackendOption.Create();
    private readonly Option<bool> _noWait = SweepBackendOption.CreateNoWait();
    private readonly Option<int?> _poll = SweepBackendOption.CreatePoll();
    private readonly Option<int?> _throttle = new("--throttle")
    {
        Description = "Local backend: runs at a time.", HelpName = "N", CustomParser = NumberParsing.Optional<int>(minimum: 1),
    };

    public SweepResumeCommand(CliContext context) : base("resume",
        "Start the runs of a sweep that are not done; stopped runs continue from their latest checkpoint.")
    {
        Arguments.Add(_dir.RejectingOptions());
        Options.Add(_backend);
        Options.Add(_throttle);
        Options.Add(_noWait);
        Options.Add(_poll);
        SetAction(parsed =>
        {
            var folder = SweepFolder.Open(parsed.GetValue(_dir)!);
            return SweepBackendOption.Start(context, folder, SweepBackendOption.Parse(parsed.GetValue(_backend)), parsed.GetValue(_throttle),
                parsed.GetValue(_noWait), parsed.GetValue(_poll));
        });
    }
}
