using System.CommandLine;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep run SWEEP.yaml --output DIR [--backend local|slurm] [--throttle N]</c>: lays out the sweep folder
/// (checking every run's config first) and runs it.</summary>
internal sealed class SweepRunCommand : Command
{
    private readonly Argument<string> _file = new("SWEEP") { Description = "The sweep file (YAML)." };
    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "The sweep folder to write (new or empty, or the same sweep's).", HelpName = "DIR", Required = true,
    };
    private readonly Option<string?> _backend = SweepBackendOption.Create();
    private readonly Option<bool> _noWait = SweepBackendOption.CreateNoWait();
    private readonly Option<int?> _poll = SweepBackendOption.CreatePoll();
    private readonly Option<int?> _throttle = new("--throttle")
    {
        Description = "Local backend: runs at a time (default: the file's local.throttle).", HelpName = "N",
        CustomParser = NumberParsing.Optional<int>(minimum: 1),
    };

    public SweepRunCommand(CliContext context) : base("run", "Expand a sweep file into runs and run them locally, or submit them as one Slurm job array.")
    {
        Arguments.Add(_file.RejectingOptions());
        Options.Add(_output);
        Options.Add(_backend);
        Options.Add(_throttle);
        Options.Add(_noWait);
        Options.Add(_poll);
        SetAction(parsed =>
        {
            var definition = SweepLoader.LoadFile(parsed.GetValue(_file)!);
            var folder = SweepFolder.Create(definition, parsed.GetValue(_output)!);
            return SweepBackendOption.Start(context, folder, SweepBackendOption.Parse(parsed.GetValue(_backend)), parsed.GetValue(_throttle),
                parsed.GetValue(_noWait), parsed.GetValue(_poll));
        });
    }
}
