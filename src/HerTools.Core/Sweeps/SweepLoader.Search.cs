using HerTools.Core.Config;
using YamlDotNet.RepresentationModel;

namespace HerTools.Core.Sweeps;

public static partial class SweepLoader
{
    private static readonly string[] SearchKeys = ["rungs", "reduction_factor", "metric", "direction", "seeds"];

    private sealed partial class Reader
    {
        /// <summary>The <c>search:</c> section, checked against the base config: the rungs set every run's budget, and each
        /// must fall on an evaluation step, or a promoted run would log an evaluation the same run trained straight does not.</summary>
        private SweepSearchOptions ReadSearch(KeyValuePair<YamlNode, YamlNode> entry, Dictionary<string, string> used, RunConfig baseConfig)
        {
            var e = Entries(Mapping(entry, "search"), "search.", SearchKeys);
            if (!e.TryGetValue("rungs", out var rungsEntry))
                throw Error("a search needs 'rungs:', the budgets of its rungs, e.g. rungs: [2000, 8000, 32000]", "search.rungs", entry.Key);
            if (rungsEntry.Value is not YamlSequenceNode { Children.Count: > 0 and <= 20 } list)
                throw Error("expected a list of 1 to 20 budgets (total_timesteps), e.g. [2000, 8000, 32000]", "search.rungs", rungsEntry.Value);
            var rungs = new List<long>();
            foreach (var item in list.Children)
            {
                long budget = ParseLong(item, "search.rungs");
                if (budget < 1) throw Error($"a rung's budget must be at least 1, got {budget}", "search.rungs", item);
                if (rungs.Count > 0 && budget <= rungs[^1])
                    throw Error($"rungs must increase: {budget} follows {rungs[^1]}", "search.rungs", item);
                rungs.Add(budget);
            }

            if (used.TryGetValue("total_timesteps", out string? budgetAt))
                throw Error($"'total_timesteps' is in {budgetAt}, but a search sets each run's budget from its rungs; remove it there", "search.rungs",
                    rungsEntry.Key);
            if (used.TryGetValue("eval.eval_freq", out string? evalAt) && !evalAt.StartsWith("set", StringComparison.Ordinal))
                throw Error($"'eval.eval_freq' is in {evalAt}, but a search scores every run at evaluations on the rungs' budgets; give it one " +
                    "value in 'set:'", "search.rungs", rungsEntry.Key);
            long evalFreq = baseConfig.Eval.EvalFreq;
            if (evalFreq <= 0)
                throw Error("a search scores runs at evaluations on the rungs' budgets: it needs eval.eval_freq > 0 (in 'set:' or the base config)",
                    "search.rungs", rungsEntry.Key);
            for (int i = 0; i < rungs.Count; i++)
                if (rungs[i] % evalFreq != 0)
                    throw Error($"rung {rungs[i]} is not a multiple of eval.eval_freq ({evalFreq}): a promoted run would evaluate at " +
                        $"{rungs[i]} and the same run trained straight would not", "search.rungs", list.Children[i]);

            int factor = e.TryGetValue("reduction_factor", out var f) ? ParseInt(f.Value, "search.reduction_factor", 2, 1000) : 3;
            string metric = SweepSearchOptions.SuccessRate;
            if (e.TryGetValue("metric", out var m))
            {
                metric = Scalar(m, "search.metric");
                if (!SweepSearchOptions.Metrics.Contains(metric))
                    throw Error($"expected one of {string.Join(", ", SweepSearchOptions.Metrics)} (eval.csv columns), got '{metric}'", "search.metric",
                        m.Value);
            }
            var direction = SweepSearchOptions.DefaultDirection(metric);
            if (e.TryGetValue("direction", out var d))
                direction = Scalar(d, "search.direction") switch
                {
                    "max" => SearchDirection.Max,
                    "min" => SearchDirection.Min,
                    var other => throw Error($"expected max or min, got '{other}'", "search.direction", d.Value),
                };
            var seeds = SearchSeedMode.Aggregate;
            if (e.TryGetValue("seeds", out var s))
                seeds = Scalar(s, "search.seeds") switch
                {
                    "aggregate" => SearchSeedMode.Aggregate,
                    "separate" => SearchSeedMode.Separate,
                    var other => throw Error($"expected aggregate (a configuration's score is the mean over its seeds) or separate, got '{other}'",
                        "search.seeds", s.Value),
                };
            return new SweepSearchOptions(rungs, factor, metric, direction, seeds);
        }
    }
}
