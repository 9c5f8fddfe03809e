using System.Management.Automation;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>Cancels a Slurm sweep's queued and running tasks (<c>scancel</c>); running ones write a checkpoint and stop,
/// and <c>Resume-HerSweep</c> continues them. A local sweep stops with Ctrl+C in the session running it.</summary>
[Cmdlet(VerbsLifecycle.Stop, "HerSweep", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class StopHerSweepCommand : HerCmdlet
{
    /// <summary>The sweep folder.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>Returns the Slurm job ids cancelled.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var folder = OpenSweep(Path);
        if (!SweepRunner.IsOnSlurm(folder))
        {
            WriteError(new ErrorRecord(new InvalidOperationException($"'{folder.Directory}' was never submitted to Slurm; a local sweep stops with Ctrl+C in " +
                "the session running it."),
                "SweepNotOnSlurm", ErrorCategory.InvalidOperation, folder.Directory));
            return;
        }
        if (!ShouldProcess($"Slurm jobs {string.Join(", ", SlurmSweepRunner.JobIds(folder))} of '{folder.Directory}'", "Cancel")) return;
        IReadOnlyList<string> cancelled = [];
        try { cancelled = SweepRunner.Stop(folder); }
        catch (Exception e) { ThrowEngineError(e, folder.Directory); }
        WriteVerbose(cancelled.Count == 0 ? "No task of the sweep is queued or running." : $"Cancelled job {string.Join(", ", cancelled)}.");
        if (PassThru) WriteObject(cancelled, enumerateCollection: true);
    }
}
