using System.CommandLine;
using HerTools.Core.Runs;
using HerTools.Plotting;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools plot RUN_DIR... --output curve.png [--metric COLUMN] [--group-by KEY]...</c>: evaluation success (or
/// another logged metric) against environment steps, one line per run, or per group of runs with a band over them.</summary>
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

    private readonly Option<string?> _metric = new("--metric")
    {
        Description = "The column to plot: eval.csv's success_rate (default), mean_return, mean_final_distance, or any numeric progress.csv column.",
        HelpName = "COLUMN",
    };

    private readonly Option<string[]> _groupBy = new("--group-by")
    {
        Description = "Config key(s) whose values group the runs: one line per group (the mean), shaded from its lowest to its highest run.",
        HelpName = "KEY",
        AllowMultipleArgumentsPerToken = false,
    };

    public PlotCommand(CliContext context) : base("plot",
        "Plot evaluation success (or any logged metric) against environment steps for runs, or groups of runs, into a PNG.")
    {
        Arguments.Add(_runs.RejectingOptions());
        Options.Add(_output);
        Options.Add(_metric);
        Options.Add(_groupBy);
        SetAction(parsed =>
        {
            string? metric = parsed.GetValue(_metric);
            string[] groupBy = parsed.GetValue(_groupBy) ?? [];
            return metric is null && groupBy.Length == 0
                ? Run(context, parsed.GetValue(_runs)!, parsed.GetValue(_output)!)
                : RunBands(context, parsed.GetValue(_runs)!, parsed.GetValue(_output)!, metric ?? MetricCurve.DefaultMetric, groupBy);
        });
    }

    private static int RunBands(CliContext context, string[] runDirectories, string pngPath, string metric, string[] groupBy)
    {
        foreach (string runDirectory in runDirectories)
            if (!Directory.Exists(runDirectory)) throw new UsageException($"run folder not found: {runDirectory}");
        IReadOnlyList<CurveBand> bands;
        try
        {
            bands = groupBy.Length > 0
                ? CurveBand.Group(runDirectories, groupBy, metric)
                : [.. runDirectories.Select(r => CurveBand.Of(MetricCurve.FromRunDirectory(r, metric)))];
        }
        catch (ArgumentException e) { throw new UsageException(e.Message.Split(" (Parameter")[0]); }
        foreach (var empty in bands.Where(b => b.Steps.Count == 0))
            context.Error.WriteLine($"her-tools: warning: {empty.Label} has no {metric} values yet; its line is empty");
        if (bands.All(b => b.Steps.Count == 0)) throw new UsageException($"none of the run folders has a {metric} value to plot");
        context.Stop.ThrowIfCancellationRequested();
        LearningCurvePlot.SavePng(bands, metric, pngPath);
        context.Out.WriteLine($"Wrote {pngPath} ({bands.Count} line{(bands.Count == 1 ? "" : "s")} of {metric}, {runDirectories.Length} runs).");
        return ExitCodes.Success;
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
