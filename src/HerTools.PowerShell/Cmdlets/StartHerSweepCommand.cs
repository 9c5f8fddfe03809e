using System.Management.Automation;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Expands a sweep file into runs, lays out the sweep folder (checking every run's config first) and runs the runs
/// locally or submits them to Slurm; returns every run's status. A folder holding the same sweep continues it.
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "HerSweep", SupportsShouldProcess = true)]
[OutputType(typeof(SweepRunStatus))]
public sealed class StartHerSweepCommand : HerSweepCmdlet
{
    /// <summary>The sweep file (YAML).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The sweep folder to write: new, empty, or holding the same sweep.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string OutputDirectory { get; set; } = "";

    protected override void ProcessRecord()
    {
        string file = ResolvePath(Path);
        string output = ResolvePath(OutputDirectory);
        SweepDefinition definition = null!;
        try { definition = SweepLoader.LoadFile(file); }
        catch (Exception e) { ThrowEngineError(e, file); }

        string target = $"{definition.RunCount} runs of '{file}' into '{output}' ({Backend ?? definition.Backend})";
        if (!ShouldProcess(target, "Start-HerSweep")) return;

        SweepFolder folder = null!;
        try { folder = SweepFolder.Create(definition, output); }
        catch (Exception e) { ThrowEngineError(e, output); }
        WriteVerbose(Describe(folder));
        RunSweep(folder);
    }
}
