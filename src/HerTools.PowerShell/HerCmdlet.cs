using System.Management.Automation;
using HerTools.Core.Runs;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell;

/// <summary>What every HerTools cmdlet shares: paths resolved against the PowerShell location (not the
/// process's working directory) and engine errors raised as terminating error records.</summary>
public abstract class HerCmdlet : PSCmdlet
{
    /// <summary>A file-system path for the engine: relative to <c>$PWD</c>, <c>~</c> expanded; need not exist yet.</summary>
    protected string ResolvePath(string path) => GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Stops the pipeline with the engine error mapped by <see cref="EngineErrors"/>.</summary>
    protected void ThrowEngineError(Exception error, object? target) =>
        ThrowTerminatingError(EngineErrors.ToErrorRecord(error, target));

    /// <summary>The run folder must exist; otherwise a terminating ObjectNotFound error naming it.</summary>
    protected string ResolveExistingDirectory(string path, string what)
    {
        string resolved = ResolvePath(path);
        if (!Directory.Exists(resolved))
            ThrowEngineError(new DirectoryNotFoundException($"{what} '{resolved}' does not exist."), resolved);
        return resolved;
    }

    /// <summary>An existing sweep folder, opened; otherwise a terminating error naming the folder and what is wrong with it.</summary>
    protected SweepFolder OpenSweep(string path)
    {
        string directory = ResolveExistingDirectory(path, "Sweep folder");
        try { return SweepFolder.Open(directory); }
        catch (Exception e) { ThrowEngineError(e, directory); throw; } // ThrowEngineError does not return
    }

    /// <summary>
    /// A run folder that must exist. A checkpoint folder (<c>RUN/checkpoints/NAME</c>) stands for its run, so a
    /// checkpoint piped in binds through its <c>Path</c> and still means the run it belongs to.
    /// </summary>
    protected string ResolveRunDirectory(string path)
    {
        return RunRecords.RunOf(ResolveExistingDirectory(path, "Run folder"));
    }
}
