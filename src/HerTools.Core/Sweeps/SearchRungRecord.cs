using System.Text.Json.Serialization;

namespace HerTools.Core.Sweeps;

/// <summary>One decided rung of a search, as <c>search.json</c> keeps it.</summary>
public sealed record SearchRungRecord
{
    /// <summary>The rung's number, from 0.</summary>
    [JsonPropertyName("rung")] public int Rung { get; init; }
    /// <summary>The budget (<c>total_timesteps</c>) its runs trained to.</summary>
    [JsonPropertyName("budget")] public long Budget { get; init; }
    /// <summary>How many trials it promoted (or, at the last rung, chose): max(1, floor(entered / reduction_factor)).</summary>
    [JsonPropertyName("keep")] public int Keep { get; init; }
    /// <summary>Every trial that entered the rung, best first (failed ones last, by trial number).</summary>
    [JsonPropertyName("trials")] public IReadOnlyList<SearchTrialResult> Trials { get; init; } = [];
}
