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
}
