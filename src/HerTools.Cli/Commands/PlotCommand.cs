using System.CommandLine;
using HerTools.Core.Runs;
using HerTools.Plotting;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools plot RUN_DIR... --output curve.png</c>: evaluation success against environment steps, one line per run.</summary>
internal sealed class PlotCommand : Command
{
    private readonly Argument<string[]> _runs = new("RUN_DIR")
    {
        Description = "Run folders whose eval.csv to plot; each becomes one line, labelled with the folder's name.",
        Arity = ArgumentArity.OneOrMore,
    };

    private readonly Option<string> _output = new("--output", "-o")
    {
        Description = "The PNG file to write.",
        HelpName = "PNG",
        Required = true,
    };

    public PlotCommand(CliContext context) : base("plot", "Plot evaluation success against environment steps for one or more runs into a PNG.")
    {
        Arguments.Add(_runs.RejectingOptions());
        Options.Add(_output);
        SetAction(parsed => Run(context, parsed.GetValue(_runs)!, parsed.GetValue(_output)!));
    }

    private static int Run(CliContext context, string[] runDirectories, string pngPath)
    {
        var curves = new List<LearningCurve>();
        foreach (string runDirectory in runDirectories)
        {
            context.Stop.ThrowIfCancellationRequested(); // many long logs take a while: Ctrl+C stops between them
            if (!Directory.Exists(runDirectory)) throw new UsageException($"run folder not found: {runDirectory}");
            var curve = LearningCurve.FromRunDirectory(runDirectory);
            if (curve.Evaluations.Count == 0)
            {
                string log = RunRecords.LogPath(runDirectory, RunRecords.EvalLog);
                context.Error.WriteLine($"her-tools: warning: {log} has no evaluations yet; {curve.Label} is left out");
            }
            else
                curves.Add(curve);
        }
        if (curves.Count == 0) throw new UsageException("none of the run folders has an evaluation to plot");
        context.Stop.ThrowIfCancellationRequested();
        LearningCurvePlot.SavePng(curves, pngPath);
        context.Out.WriteLine($"Wrote {pngPath} ({curves.Count} run{(curves.Count == 1 ? "" : "s")}).");
        return ExitCodes.Success;
    }
}
