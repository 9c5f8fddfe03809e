using HerTools.Core.Training;

namespace HerTools.PowerShell;

/// <summary>What <c>Invoke-HerEval</c> returns: a checkpoint's policy evaluated over fixed-seed episodes.</summary>
public sealed class HerEvaluation
{
    /// <summary>The checkpoint folder evaluated.</summary>
    public string Checkpoint { get; init; } = "";
    public int EpisodeCount { get; init; }
    /// <summary>Reset seed of the first episode; episode i uses <c>Seed + i</c>.</summary>
    public ulong Seed { get; init; }
    public double SuccessRate { get; init; }
    public double MeanReturn { get; init; }
    public double MeanFinalDistance { get; init; }
    /// <summary>One record per episode with <c>-Detailed</c>; empty otherwise.</summary>
    public IReadOnlyList<EpisodeRecord> Episodes { get; init; } = [];

    internal static HerEvaluation From(string checkpoint, ulong seed, EvaluationResult result, bool detailed) => new()
    {
        Checkpoint = checkpoint,
        EpisodeCount = result.EpisodeCount,
        Seed = seed,
        SuccessRate = result.SuccessRate,
        MeanReturn = result.MeanReturn,
        MeanFinalDistance = result.MeanFinalDistance,
        Episodes = detailed ? result.Episodes : [],
    };
}
