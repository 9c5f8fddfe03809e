namespace HerTools.Core.Checkpoints;

/// <summary>
/// One file of a checkpoint to be saved: its name inside the checkpoint folder and the code that writes its bytes.
/// </summary>
/// <param name="FileName">A plain file name (letters, digits, <c>_ . -</c>; no folders), not <c>checkpoint.json</c>.</param>
/// <param name="Write">Writes the content to the stream it is given. The stream is write-only, may be seeked,
/// and may be disposed by the delegate (the store closes and flushes the file itself).</param>
public sealed record CheckpointFile(string FileName, Action<Stream> Write);
