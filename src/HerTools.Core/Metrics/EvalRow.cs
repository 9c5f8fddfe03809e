using CsvHelper.Configuration.Attributes;

namespace HerTools.Core.Metrics;

/// <summary>One row of <c>eval.csv</c>: an evaluation under the spec's protocol.</summary>
public sealed record EvalRow
{
    [Name("timesteps"), Index(0)] public long Timesteps { get; init; }
    [Name("episodes"), Index(1)] public long Episodes { get; init; }
    [Name("success_rate"), Index(2)] public double SuccessRate { get; init; }
    [Name("mean_return"), Index(3)] public double MeanReturn { get; init; }
    [Name("mean_final_distance"), Index(4)] public double MeanFinalDistance { get; init; }

    /// <summary>The row's numeric columns by their column names: what TensorBoard shows of it.</summary>
    public IEnumerable<(string Column, double Value)> Scalars() =>
        [("episodes", Episodes), ("success_rate", SuccessRate), ("mean_return", MeanReturn), ("mean_final_distance", MeanFinalDistance)];
}
