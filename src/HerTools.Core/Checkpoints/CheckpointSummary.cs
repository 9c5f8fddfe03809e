namespace HerTools.Core.Checkpoints;

/// <summary>
/// The facts a trainer records in a checkpoint's <c>checkpoint.json</c> beside the file list: small, human-readable,
/// and enough to list checkpoints without opening their weights.
/// </summary>
/// <param name="RunId">The run the checkpoint belongs to.</param>
/// <param name="Step">Environment timesteps done when the checkpoint was taken.</param>
/// <param name="Episode">Episodes begun when the checkpoint was taken.</param>
/// <param name="EnvId">The environment id, e.g. <c>PointGoal-v0</c>.</param>
/// <param name="Algorithm">The algorithm name, e.g. <c>ddpg_her</c>.</param>
/// <param name="EvalSuccessRate">Success rate of the last evaluation, in [0, 1]; null before the first one.</param>
/// <param name="BestEvalSuccessRate">Best evaluation success rate so far, in [0, 1]; null before the first one.</param>
/// <param name="HasReplayBuffer">Whether the checkpoint holds the replay buffer (resume needs it to continue exactly).</param>
public sealed record CheckpointSummary(
    string RunId,
    long Step,
    long Episode,
    string EnvId,
    string Algorithm,
    double? EvalSuccessRate,
    double? BestEvalSuccessRate,
    bool HasReplayBuffer)
{
    private static readonly IReadOnlyDictionary<string, string> NoExtra = new Dictionary<string, string>();

    /// <summary>Small free facts (schedule positions, seeds, notes) written to <c>checkpoint.json</c> as strings.
    /// Not meant for bulk data: that belongs in a file of its own.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = NoExtra;
}
