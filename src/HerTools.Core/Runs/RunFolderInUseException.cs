namespace HerTools.Core.Runs;

/// <summary>A new run asked for a folder that already holds one: its files would be mixed with or replace the other's.</summary>
public sealed class RunFolderInUseException : HerToolsException
{
    public RunFolderInUseException(string runDirectory, IReadOnlyList<string> found)
        : base($"'{runDirectory}' already holds a run ({string.Join(", ", found)}); continue it with --resume " +
            "(Start-HerTraining -ResumeFrom), or choose another output folder")
    {
        RunDirectory = runDirectory;
        Found = found;
    }

    public string RunDirectory { get; }

    /// <summary>The run files found there (<c>config.yaml</c>, <c>progress.csv</c>, ...).</summary>
    public IReadOnlyList<string> Found { get; }
}
