namespace HerTools.Core.Checkpoints;

/// <summary>What <c>checkpoint.json</c> says of a checkpoint folder, read without loading its weights.</summary>
public sealed record CheckpointInfo(
    string Path,
    string Name,
    string RunId,
    long Step,
    long Episode,
    double? EvalSuccessRate,
    double? BestEvalSuccessRate,
    string EnvId,
    string Algorithm,
    DateTimeOffset Created,
    bool IsBest,
    bool HasReplayBuffer,
    int FormatVersion)
{
    /// <summary>The run folder the checkpoint belongs to (two levels up: run/checkpoints/step_N).</summary>
    public string RunDirectory => System.IO.Path.GetDirectoryName(System.IO.Path.GetDirectoryName(Path)!)!;

    /// <summary>Total bytes of the files the checkpoint lists (<c>checkpoint.json</c> itself not counted).</summary>
    public long TotalBytes { get; init; }
}
