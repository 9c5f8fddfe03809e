using System.Management.Automation;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// The runs of one or more sweep folders with their status, read from the run folders and, for a sweep submitted to
/// Slurm, <c>squeue</c>: the same call as <c>her-tools sweep status</c>, which also rebuilds <c>sweep.csv</c>. Each run's <c>RunDirectory</c> pipes into
/// <c>Get-HerCheckpoint</c>, <c>Import-HerMetric</c>
/// and <c>Export-HerLearningCurve</c>.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HerSweep")]
[OutputType(typeof(SweepRunStatus))]
public sealed class GetHerSweepCommand : HerCmdlet
{
    /// <summary>Sweep folders.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Only runs in these states.</summary>
    [Parameter]
    public SweepRunState[]? State { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            var folder = OpenSweep(path);
            IReadOnlyList<SweepRunStatus> statuses;
            try { statuses = SweepRunner.Status(folder); }
            catch (Exception e) { ThrowEngineError(e, folder.Directory); continue; }
            WriteObject(State is null ? statuses : statuses.Where(s => State.Contains(s.State)), enumerateCollection: true);
        }
    }
}
