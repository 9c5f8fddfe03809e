namespace HerTools.Core.Training;

/// <summary>The evaluation of a policy over fixed-seed episodes (deterministic actions, no exploration noise).</summary>
public sealed record EvaluationResult(
    int EpisodeCount,
    double SuccessRate,
    double MeanReturn,
    double MeanFinalDistance,
    IReadOnlyList<EpisodeRecord> Episodes);
