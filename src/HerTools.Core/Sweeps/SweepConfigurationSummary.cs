namespace HerTools.Core.Sweeps;

/// <summary>One configuration of a sweep across its seeds, as <c>configurations.csv</c> has it (see <see cref="SweepConfigurations"/>).</summary>
public sealed record SweepConfigurationSummary
{
    /// <summary>The configuration's number: its runs are those of <c>runs.csv</c> from <c>Index x seeds</c> on.</summary>
    public required int Index { get; init; }
    /// <summary>Its grid and random values.</summary>
    public required IReadOnlyList<SweepOverride> Point { get; init; }
    /// <summary>Its runs (one per seed), and how many of them are done.</summary>
    public int Runs { get; init; }
    public int Done { get; init; }
    /// <summary>The last evaluation's success rate, over the runs that evaluated.</summary>
    public MeanInterval? FinalEvalSuccess { get; init; }
    /// <summary>The best evaluation's success rate, over the runs that evaluated.</summary>
    public MeanInterval? BestEvalSuccess { get; init; }
    /// <summary>How many runs reached the sweep's <c>success_threshold</c>.</summary>
    public int ThresholdReached { get; init; }
    /// <summary>The environment steps to the first evaluation at or above the threshold, over the runs that reached it.</summary>
    public MeanInterval? StepsToThreshold { get; init; }
}
