using System.CommandLine;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary><c>her-tools sweep collect DIR</c>: rebuilds sweep.csv and configurations.csv (results across seeds) from the run
/// folders (safe while runs go).</summary>
internal sealed class SweepCollectCommand : Command
{
    private readonly Argument<string> _dir = new("DIR") { Description = "The sweep folder." };

    public SweepCollectCommand(CliContext context) : base("collect",
        "Rebuild sweep.csv and configurations.csv (mean and 95% interval over seeds) from the run folders; safe at any time.")
    {
        Arguments.Add(_dir.RejectingOptions());
        SetAction(parsed =>
        {
            var folder = SweepFolder.Open(parsed.GetValue(_dir)!);
            var statuses = SweepRunner.Status(folder, context.Stop);
            var counts = statuses.GroupBy(s => s.State).OrderBy(g => g.Key).Select(g => $"{g.Count()} {SweepFolder.StateName(g.Key)}");
            context.Out.WriteLine($"{folder.SummaryPath}: {statuses.Count} runs ({string.Join(", ", counts)})");
            context.Out.WriteLine($"{Path.Combine(folder.Directory, SweepConfigurations.FileName)}: " +
                $"{statuses.Count / folder.Definition.Seeds.Count} configurations x {folder.Definition.Seeds.Count} seeds");
            return ExitCodes.Success;
        });
    }
}
