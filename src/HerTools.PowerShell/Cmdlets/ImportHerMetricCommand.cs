using System.Management.Automation;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Reads runs' <c>progress.csv</c> or <c>eval.csv</c> as typed rows, each with the run's folder
/// (<c>RunDirectory</c>) and id (<c>RunId</c>) attached, so rows of several runs can be grouped and compared.
/// </summary>
[Cmdlet(VerbsData.Import, "HerMetric")]
[OutputType(typeof(ProgressRow), typeof(EvalRow))]
public sealed class ImportHerMetricCommand : HerCmdlet
{
    /// <summary>Run folders; <c>Start-HerTraining</c>'s and <c>Get-HerCheckpoint</c>'s output bind through <c>RunDirectory</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RunDirectory")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary><c>Progress</c> (default) or <c>Eval</c>.</summary>
    [Parameter(Position = 1)]
    public MetricKind Kind { get; set; } = MetricKind.Progress;

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string runDirectory = ResolveRunDirectory(path);
            List<PSObject> rows;
            try { rows = Read(runDirectory); }
            catch (Exception e) { ThrowEngineError(e, runDirectory); continue; }
            WriteObject(rows, enumerateCollection: true);
        }
    }

    private List<PSObject> Read(string runDirectory)
    {
        if (Kind == MetricKind.Progress)
            return RunRecords.Progress(runDirectory, required: true)
                .Select(row => WithRun(row, runDirectory, runId: null)).ToList();
        var evaluations = RunRecords.Evaluations(runDirectory, required: true);
        string runId = RunRecords.RunId(runDirectory);
        return evaluations.Select(row => WithRun(row, runDirectory, runId)).ToList();
    }

    private static PSObject WithRun(object row, string runDirectory, string? runId)
    {
        var wrapped = PSObject.AsPSObject(row);
        wrapped.Properties.Add(new PSNoteProperty("RunDirectory", runDirectory));
        if (runId is not null) wrapped.Properties.Add(new PSNoteProperty("RunId", runId));
        return wrapped;
    }
}
