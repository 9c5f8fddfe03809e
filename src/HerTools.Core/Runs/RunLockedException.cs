namespace HerTools.Core.Runs;

/// <summary>A run folder another process (or another training of this one) is writing: refused at once.</summary>
public sealed class RunLockedException : HerToolsException
{
    public RunLockedException(string runDirectory, string? holder)
        : base($"{runDirectory} is being written by {holder ?? "another process"} (it holds {RunLock.FileName}); " +
            "wait for it to end or stop it, then resume")
    {
        RunDirectory = runDirectory;
        Holder = holder;
    }

    public string RunDirectory { get; }

    /// <summary>"process 123 on host-a since ...", or null when the lock file could not be read.</summary>
    public string? Holder { get; }
}
