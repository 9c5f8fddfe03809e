namespace HerTools.Core.Checkpoints;

/// <summary>The outcome of verifying one checkpoint: every file's hash, and every file's structure against its config
/// and environment. <see cref="Error"/> says what is wrong when it is not valid.</summary>
public sealed record CheckpointVerification(CheckpointInfo Checkpoint, CheckpointException? Error)
{
    public bool IsValid => Error is null;
}
