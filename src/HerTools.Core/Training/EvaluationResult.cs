namespace HerTools.Core.Training;

/// <summary>The evaluation of a policy over fixed-seed episodes (deterministic actions, no exploration noise).</summary>
public sealed record EvaluationResult(
    int EpisodeCount,
    double SuccessRate,
    double MeanReturn,
    double MeanFinalDistance,
    IReadOnlyList<EpisodeRecord> Episodes)
{
    /// <summary>Reset seed of the first episode; episode i used this + i.</summary>
    public ulong FirstSeed => Episodes[0].Seed;
}
