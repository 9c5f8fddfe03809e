using System.Management.Automation;
using HerTools.Core.Runs;
using HerTools.Plotting;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Draws evaluation success against environment steps for one or more runs (one line each, from their
/// <c>eval.csv</c>) into a PNG, and returns the file.
/// </summary>
[Cmdlet(VerbsData.Export, "HerLearningCurve", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportHerLearningCurveCommand : HerCmdlet
{
    private readonly List<LearningCurve> _curves = [];

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
            LearningCurve curve;
            try { curve = new LearningCurve(RunRecords.RunId(runDirectory), RunRecords.Evaluations(runDirectory, required: true)); }
            catch (Exception e) { ThrowEngineError(e, runDirectory); continue; }
            if (curve.Evaluations.Count == 0) WriteWarning($"Run '{curve.Label}' ({runDirectory}) has no evaluations yet; its line is empty.");
            _curves.Add(curve);
        }
    }

    protected override void EndProcessing()
    {
        if (_curves.Count == 0) return;
        string png = ResolvePath(OutputPath);
        if (!ShouldProcess(png, $"Write the learning curve of {_curves.Count} run(s)")) return;
        try { LearningCurvePlot.SavePng(_curves, png, Width, Height, Title); } // creates the folder
        catch (Exception e) { ThrowEngineError(e, png); }
        WriteObject(new FileInfo(png));
    }
}
