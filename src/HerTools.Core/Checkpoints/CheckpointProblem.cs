namespace HerTools.Core.Checkpoints;

/// <summary>What is wrong with a checkpoint, so a front end or a test can tell the cases apart without
/// reading the message.</summary>
public enum CheckpointProblem
{
    /// <summary>The folder does not exist or has no <c>checkpoint.json</c>.</summary>
    NotACheckpoint,
    /// <summary><c>checkpoint.json</c> is from another program or a format version this HerTools cannot read.</summary>
    UnsupportedFormat,
    /// <summary><c>checkpoint.json</c> is not valid JSON or lacks a field this format version requires.</summary>
    Malformed,
    /// <summary>A file <c>checkpoint.json</c> lists is not in the folder.</summary>
    Missing,
    /// <summary>A listed file is shorter than <c>checkpoint.json</c> says.</summary>
    Truncated,
    /// <summary>A listed file is longer than <c>checkpoint.json</c> says.</summary>
    WrongLength,
    /// <summary>A listed file has the right length but not the SHA-256 <c>checkpoint.json</c> records.</summary>
    HashMismatch,
    /// <summary>A file was asked for that <c>checkpoint.json</c> does not list.</summary>
    NotListed,
    /// <summary>A listed file is a symbolic link, a folder, a FIFO or a device, not a regular file.</summary>
    NotARegularFile,
    /// <summary>A listed file is whole (its hash matches) but a length, count, index or value in it disagrees with
    /// the config, the environment or the other files; <see cref="CheckpointException.Field"/> names which.</summary>
    InvalidContent,
}
