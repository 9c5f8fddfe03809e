namespace HerTools.Core.Replay;

/// <summary>
/// A replay buffer file that cannot be loaded: not a buffer file, another format version, cut short,
/// corrupt (checksum), or saved from a buffer of another shape. The message names which.
/// </summary>
public sealed class ReplayBufferFormatException : HerToolsException
{
    public ReplayBufferFormatException(string message) : base(message) { }
    public ReplayBufferFormatException(string message, Exception? inner) : base(message, inner) { }
}
