using System.CommandLine;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep collect DIR</c>: rebuilds sweep.csv from the run folders (safe while runs go).</summary>
internal sealed class SweepCollectCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };

    public SweepCollectCommand(CliContext context) : base("collect", "Rebuild sweep.csv from the run folders; safe at any time, also while runs go.")
    {
        Arguments.Add(_dir.RejectingOptions());
        SetAction(parsed =>
        {
            var folder = SweepFolder.Open(parsed.GetValue(_dir)!);
            var statuses = SweepRunner.Status(folder, context.Stop);
            var counts = statuses.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {SweepFolder.StateName(g.Key)}");
            context.Out.WriteLine($"{folder.SummaryPath}: {statuses.Count} runs ({string.Join(", ", counts)})");
            return ExitCodes.Success;
        });
    }
}
