namespace HerTools.Core.Sweeps;

/// <summary>The rung a search is training: its number, its budget and the trials that entered it.</summary>
public sealed record SearchRung(int Rung, long Budget, IReadOnlyList<SearchTrial> Trials)
{
    /// <summary>The indices in <c>runs.csv</c> of the rung's runs, in order.</summary>
    public IReadOnlyList<int> Runs => [.. Trials.SelectMany(t => t.Runs).Order()];
}
