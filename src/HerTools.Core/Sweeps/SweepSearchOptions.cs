using System.Globalization;
using System.Text;

namespace HerTools.Core.Sweeps;

/// <summary>
/// The <c>search:</c> section of a sweep file: successive halving over the runs the file expands to. Every trial trains
/// to the first rung's budget; the best 1/<see cref="ReductionFactor"/> of them (by <see cref="Metric"/>) continue from
/// their checkpoint to the next rung's budget, and so on; the best trial of the last rung is the search's choice.
/// </summary>
/// <param name="Rungs">The budgets (<c>total_timesteps</c>) of the rungs, strictly increasing.</param>
/// <param name="ReductionFactor">Of n trials that enter a rung, max(1, floor(n / factor)) go on to the next.</param>
/// <param name="Metric">The <c>eval.csv</c> column that ranks trials: its value at the rung's budget.</param>
/// <param name="Direction">Whether higher or lower values of <see cref="Metric"/> are better.</param>
/// <param name="Seeds">Whether a trial is a configuration with all its seeds (scored by the mean over them) or one run.</param>
public sealed record SweepSearchOptions(
    IReadOnlyList<long> Rungs,
    int ReductionFactor = 3,
    string Metric = SweepSearchOptions.SuccessRate,
    SearchDirection Direction = SearchDirection.Max,
    SearchSeedMode Seeds = SearchSeedMode.Aggregate)
{
    public const string SuccessRate = "success_rate", MeanReturn = "mean_return", MeanFinalDistance = "mean_final_distance";

    /// <summary>The <c>eval.csv</c> columns a search can rank by.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [SuccessRate, MeanReturn, MeanFinalDistance];

    /// <summary>The direction a metric has unless the file says: lower is better for the final distance, higher otherwise.</summary>
    public static SearchDirection DefaultDirection(string metric) => metric == MeanFinalDistance ? SearchDirection.Min : SearchDirection.Max;

    /// <summary>The budget of the last rung: what the chosen trial has trained for when the search ends.</summary>
    public long FinalBudget => Rungs[^1];

    /// <summary>The section as the sweep file writes it.</summary>
    public string ToYaml()
    {
        var sb = new StringBuilder("search:\n");
        sb.Append("  rungs: [").Append(string.Join(", ", Rungs.Select(r => r.ToString(CultureInfo.InvariantCulture)))).Append("]\n");
        sb.Append("  reduction_factor: ").Append(ReductionFactor.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("  metric: ").Append(Metric).Append('\n');
        sb.Append("  direction: ").Append(Direction == SearchDirection.Max ? "max" : "min").Append('\n');
        sb.Append("  seeds: ").Append(Seeds == SearchSeedMode.Aggregate ? "aggregate" : "separate").Append('\n');
        return sb.ToString();
    }
}
