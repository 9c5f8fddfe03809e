namespace HerTools.Core.Checkpoints;

/// <summary>What a path inside a checkpoint folder is, looked at without following a symbolic link.</summary>
internal enum CheckpointFileKind
{
    Missing,
    Regular,
    SymbolicLink,
    Directory,
    /// <summary>A FIFO, a device, a socket: anything whose opening or reading may block or never end.</summary>
    Special,
}
