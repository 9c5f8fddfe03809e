namespace HerTools.Core.Training;

/// <summary>How a training takes its run folder.</summary>
public enum RunFolderClaim
{
    /// <summary>A folder named by the user, for a new run (or a branch of a checkpoint): created if needed, refused if it holds a run.</summary>
    New,
    /// <summary>The first free default folder under the runs root.</summary>
    Default,
    /// <summary>An existing run, continued in its own folder.</summary>
    Continue,
}
