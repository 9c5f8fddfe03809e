using System.Management.Automation;
using HerTools.Core.Runs;
using HerTools.Plotting;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Draws evaluation success against environment steps for one or more runs (one line each, from their
/// <c>eval.csv</c>) into a PNG, and returns the file. <c>-Metric</c> plots another column (any numeric <c>progress.csv</c>
/// column too); <c>-GroupBy</c> draws one line per group of runs (a configuration's seeds) with a band over them.
/// </summary>
[Cmdlet(VerbsData.Export, "HerLearningCurve", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportHerLearningCurveCommand : HerCmdlet
{
    private readonly List<LearningCurve> _curves = [];
    private readonly List<string> _runDirectories = [];

    /// <summary>Run folders; <c>Start-HerTraining</c>'s output binds through <c>RunDirectory</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RunDirectory")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>The PNG to write.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string OutputPath { get; set; } = "";

    [Parameter]
    public string? Title { get; set; }

    /// <summary>The column to plot: <c>eval.csv</c>'s <c>success_rate</c> (default), <c>mean_return</c>,
    /// <c>mean_final_distance</c>, or any numeric <c>progress.csv</c> column (<c>critic_loss</c>, <c>relabeled_share</c>, ...).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Metric { get; set; }

    /// <summary>Config keys whose values group the runs: one line per group (the mean over its runs, e.g. a configuration's
    /// seeds), shaded from its lowest to its highest run.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? GroupBy { get; set; }

    [Parameter]
    [ValidateRange(100, 10_000)]
    public int Width { get; set; } = 800;

    [Parameter]
    [ValidateRange(100, 10_000)]
    public int Height { get; set; } = 500;

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string runDirectory = ResolveRunDirectory(path);
            _runDirectories.Add(runDirectory);
            if (Metric is not null || GroupBy is not null) continue; // read in EndProcessing, grouped
            LearningCurve curve;
            try { curve = new LearningCurve(RunRecords.RunId(runDirectory), RunRecords.Evaluations(runDirectory, required: true)); }
            catch (Exception e) { ThrowEngineError(e, runDirectory); continue; }
            if (curve.Evaluations.Count == 0) WriteWarning($"Run '{curve.Label}' ({runDirectory}) has no evaluations yet; its line is empty.");
            _curves.Add(curve);
        }
    }

    protected override void EndProcessing()
    {
        if (Metric is not null || GroupBy is not null)
        {
            SaveBands();
            return;
        }
        if (_curves.Count == 0) return;
        string png = ResolvePath(OutputPath);
        if (!ShouldProcess(png, $"Write the learning curve of {_curves.Count} run(s)")) return;
        try { LearningCurvePlot.SavePng(_curves, png, Width, Height, Title); } // creates the folder
        catch (Exception e) { ThrowEngineError(e, png); }
        WriteObject(new FileInfo(png));
    }

    private void SaveBands()
    {
        if (_runDirectories.Count == 0) return;
        string metric = Metric ?? MetricCurve.DefaultMetric;
        IReadOnlyList<CurveBand> bands = [];
        try
        {
            bands = GroupBy is { Length: > 0 }
                ? CurveBand.Group(_runDirectories, GroupBy, metric)
                : [.. _runDirectories.Select(r => CurveBand.Of(MetricCurve.FromRunDirectory(r, metric, RunRecords.RunId(r))))];
        }
        catch (Exception e) { ThrowEngineError(e, string.Join(", ", _runDirectories)); }
        foreach (var empty in bands.Where(b => b.Steps.Count == 0)) WriteWarning($"'{empty.Label}' has no {metric} values yet; its line is empty.");
        string png = ResolvePath(OutputPath);
        if (!ShouldProcess(png, $"Write the {metric} curves of {bands.Count} line(s) over {_runDirectories.Count} run(s)")) return;
        try { LearningCurvePlot.SavePng(bands, metric, png, Width, Height, Title); }
        catch (Exception e) { ThrowEngineError(e, png); }
        WriteObject(new FileInfo(png));
    }
}
