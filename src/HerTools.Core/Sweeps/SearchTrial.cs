namespace HerTools.Core.Sweeps;

/// <summary>One trial of a search: what successive halving scores, promotes and stops as a whole.</summary>
/// <param name="Index">The trial's number: the configuration's (seeds aggregated) or the run's (seeds separate).</param>
/// <param name="Runs">The indices in <c>runs.csv</c> of its runs: one per seed, or the one run.</param>
public sealed record SearchTrial(int Index, IReadOnlyList<int> Runs);
