using System.Collections;
using System.Globalization;
using HerTools.Core.Config;
using HerTools.Core.Runs;

namespace HerTools.Plotting;

/// <summary>
/// One line of a grouped plot: the runs that share the values of the group-by keys (one configuration, its seeds), as the
/// mean of a metric at each step every one of them logged, with a band from the lowest to the highest run there.
/// </summary>
/// <param name="Label">The group's values, <c>actor_lr=0.001 n_sampled_goal=4</c>; a run's folder name when not grouped.</param>
/// <param name="Runs">How many runs the line is the mean of.</param>
public sealed record CurveBand(string Label, int Runs, IReadOnlyList<long> Steps, IReadOnlyList<double> Mean, IReadOnlyList<double> Low,
    IReadOnlyList<double> High)
{
    /// <summary>One band per run, its own line (no shading): what a plot without grouping shows.</summary>
    public static CurveBand Of(MetricCurve run) => new(run.Label, 1, run.Steps, run.Values, run.Values, run.Values);

    /// <summary>
    /// Groups run folders by the values of <paramref name="groupBy"/> (config keys, <c>env.</c> options included) in each
    /// run's <c>config.yaml</c>, in the order the groups first appear, and averages <paramref name="metric"/> over each group.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown key or metric.</exception>
    /// <exception cref="ConfigException">A run's <c>config.yaml</c> cannot be read.</exception>
    public static IReadOnlyList<CurveBand> Group(IReadOnlyList<string> runDirectories, IReadOnlyList<string> groupBy, string metric)
    {
        foreach (string key in groupBy)
            if (ConfigSchema.Find(key) is null && !key.StartsWith("env.", StringComparison.Ordinal))
                throw new ArgumentException($"--group-by '{key}': not a config key (docs/config.md lists them)", nameof(groupBy));
        var groups = new List<(string Label, List<MetricCurve> Curves)>();
        foreach (string run in runDirectories)
        {
            var config = RunRecords.Config(run);
            string label = string.Join(" ", groupBy.Select(k => $"{k[(k.LastIndexOf('.') + 1)..]}={ValueOf(config, k)}"));
            var curve = MetricCurve.FromRunDirectory(run, metric);
            int found = groups.FindIndex(g => g.Label == label);
            if (found < 0) groups.Add((label, [curve]));
            else groups[found].Curves.Add(curve);
        }
        return [.. groups.Select(g => Average(g.Label, g.Curves))];
    }

    /// <summary>The mean, lowest and highest value at each step that every curve has.</summary>
    internal static CurveBand Average(string label, IReadOnlyList<MetricCurve> curves)
    {
        var byStep = curves.Select(c => c.Steps.Zip(c.Values).GroupBy(p => p.First).ToDictionary(g => g.Key, g => g.Last().Second)).ToList();
        var steps = byStep[0].Keys.Where(s => byStep.All(d => d.ContainsKey(s))).Order().ToList();
        var mean = steps.Select(s => byStep.Sum(d => d[s]) / byStep.Count).ToList();
        return new CurveBand($"{label} ({curves.Count} run{(curves.Count == 1 ? "" : "s")})", curves.Count, steps, mean,
            [.. steps.Select(s => byStep.Min(d => d[s]))], [.. steps.Select(s => byStep.Max(d => d[s]))]);
    }

    private static string ValueOf(RunConfig config, string key)
    {
        object? value = ConfigSchema.Find(key) is { } known ? known.Get(config)
            : config.Env.Options.GetValueOrDefault(key[4..]);
        return value switch
        {
            null => "null",
            double d => d.ToString("R", CultureInfo.InvariantCulture),
            string s => s,
            IEnumerable list => "[" + string.Join(", ", list.Cast<object>().Select(o => Convert.ToString(o, CultureInfo.InvariantCulture))) + "]",
            _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
        };
    }
}
