namespace HerTools.Core.Checkpoints;

/// <summary>One entry of <c>checkpoint.json</c>'s file list: what a file must be for the checkpoint to be whole.</summary>
internal sealed class CheckpointManifestFile
{
    public required string Name { get; init; }
    public required long Bytes { get; init; }
    /// <summary>Lowercase hexadecimal SHA-256 of the file's bytes.</summary>
    public required string Sha256 { get; init; }
}
