using System.Reflection;
using CsvHelper.Configuration.Attributes;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Plotting;

/// <summary>
/// One run's values of a metric against environment steps: a column of <c>eval.csv</c> (<c>success_rate</c>,
/// <c>mean_return</c>, <c>mean_final_distance</c>) or any numeric column of <c>progress.csv</c> (<c>critic_loss</c>,
/// <c>relabeled_share</c>, ...). Empty cells (a loss before learning starts) are left out.
/// </summary>
public sealed record MetricCurve(string Label, IReadOnlyList<long> Steps, IReadOnlyList<double> Values)
{
    public const string DefaultMetric = "success_rate";

    private static readonly Dictionary<string, Func<EvalRow, double?>> EvalColumns = Columns<EvalRow>();
    private static readonly Dictionary<string, Func<ProgressRow, double?>> ProgressColumns = Columns<ProgressRow>();

    /// <summary>Every metric a curve can show: <c>eval.csv</c>'s columns, then <c>progress.csv</c>'s numeric ones.</summary>
    public static IReadOnlyList<string> Metrics { get; } = [.. EvalColumns.Keys, .. ProgressColumns.Keys.Where(k => !EvalColumns.ContainsKey(k))];

    /// <summary>Reads <paramref name="metric"/> from a run folder's logs; the label defaults to the folder's name.</summary>
    /// <exception cref="ArgumentException">No log has a numeric column of that name.</exception>
    public static MetricCurve FromRunDirectory(string runDirectory, string metric = DefaultMetric, string? label = null)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        label ??= Path.GetFileName(trimmed);
        if (EvalColumns.TryGetValue(metric, out var fromEval))
            return Of(label, RunRecords.Evaluations(trimmed), r => r.Timesteps, fromEval);
        if (ProgressColumns.TryGetValue(metric, out var fromProgress))
            return Of(label, RunRecords.Progress(trimmed), r => r.Timesteps, fromProgress);
        throw new ArgumentException($"no metric '{metric}': plot one of {string.Join(", ", Metrics)}", nameof(metric));
    }

    /// <summary>True for metrics that are shares (0 to 1), drawn on a fixed 0..1 axis.</summary>
    public static bool IsShare(string metric) =>
        metric.EndsWith("success_rate", StringComparison.Ordinal) || metric.EndsWith("_share", StringComparison.Ordinal);

    private static MetricCurve Of<TRow>(string label, IReadOnlyList<TRow> rows, Func<TRow, long> steps, Func<TRow, double?> value)
    {
        var points = rows.Select(r => (Step: steps(r), Value: value(r))).Where(p => p.Value is double v && double.IsFinite(v)).ToList();
        return new MetricCurve(label, [.. points.Select(p => p.Step)], [.. points.Select(p => p.Value!.Value)]);
    }

    // The numeric columns of a log row, by their CSV name (timesteps, the x axis, and identity columns left out).
    private static Dictionary<string, Func<TRow, double?>> Columns<TRow>()
    {
        var columns = new Dictionary<string, Func<TRow, double?>>(StringComparer.Ordinal);
        foreach (var property in typeof(TRow).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            string? name = property.GetCustomAttribute<NameAttribute>()?.Names.FirstOrDefault();
            if (name is null or "timesteps" or "schema_version" or "seed") continue;
            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type != typeof(double) && type != typeof(long) && type != typeof(int)) continue;
            columns[name] = row => property.GetValue(row) is { } v ? Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture) : null;
        }
        return columns;
    }
}
