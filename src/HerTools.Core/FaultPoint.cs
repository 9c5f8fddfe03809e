namespace HerTools.Core;

/// <summary>The named moments at which a run writes to disk, where the fault-injection tests kill or fail the process.</summary>
public enum FaultPoint
{
    /// <summary>A file inside a checkpoint's temporary folder has been written and flushed.</summary>
    CheckpointFile,
    /// <summary><c>checkpoint.json</c> has been written into the temporary folder.</summary>
    CheckpointManifest,
    /// <summary>Just before the temporary folder is renamed into place.</summary>
    CheckpointRename,
    /// <summary>Just before an old checkpoint, already renamed out of sight, is deleted by retention.</summary>
    RetentionDelete,
    /// <summary>Just before a row is appended to <c>progress.csv</c> or <c>eval.csv</c>.</summary>
    LogAppend,
    /// <summary>A small file (<c>config.yaml</c>, <c>status.json</c>) is on disk under its temporary name, not yet renamed.</summary>
    SmallFileRename,
}
