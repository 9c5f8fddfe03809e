using System.Management.Automation;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>Starts the runs of a sweep folder that are not done (stopped ones from their latest checkpoint), locally
/// or on Slurm, and returns every run's status.</summary>
[Cmdlet(VerbsLifecycle.Resume, "HerSweep", SupportsShouldProcess = true)]
[OutputType(typeof(SweepRunStatus))]
public sealed class ResumeHerSweepCommand : HerSweepCmdlet
{
    /// <summary>The sweep folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessRecord()
    {
        var folder = OpenSweep(Path);
        if (!ShouldProcess(Describe(folder), "Resume-HerSweep")) return;
        RunSweep(folder);
    }
}
