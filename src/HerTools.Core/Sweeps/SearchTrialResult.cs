using System.Text.Json.Serialization;

namespace HerTools.Core.Sweeps;

/// <summary>A trial's result at one rung.</summary>
public sealed record SearchTrialResult
{
    [JsonPropertyName("trial")] public int Trial { get; init; }
    /// <summary>Its runs' indices in <c>runs.csv</c>.</summary>
    [JsonPropertyName("runs")] public IReadOnlyList<int> Runs { get; init; } = [];
    /// <summary>The metric at the rung's budget (the mean over the trial's runs); null when a run failed.</summary>
    [JsonPropertyName("score")] public double? Score { get; init; }
    /// <summary>The mean evaluation return at the rung's budget: what orders equal scores (then the trial number).</summary>
    [JsonPropertyName("tie_break")] public double? TieBreak { get; init; }
    [JsonPropertyName("decision")] public SearchDecision Decision { get; init; }
    /// <summary>Why the trial failed (its first failed run's error).</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
}
