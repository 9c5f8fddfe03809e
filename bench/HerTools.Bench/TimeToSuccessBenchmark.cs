using System.Globalization;
using HerTools.Core.Config;
using HerTools.Core.Metrics;

namespace HerTools.Bench;

/// <summary>
/// <c>time-to-success [--seeds N] [--preset NAME] [--eval-every STEPS] [--set "key=value;key=value"]</c>: trains the preset (point_goal by
/// default) once per seed, evaluating every few steps under the spec's protocol (100 fixed-seed episodes), and
/// prints the training seconds (evaluation excluded: read from progress.csv's <c>wall_time_s</c>, which stops
/// its clock during evaluations) and steps until evaluation success first reaches 0.9 and 0.95, per seed and as
/// the median over seeds. A seed that never gets there within the preset's budget prints <c>Infinity</c>.
/// <c>--set</c> applies config overrides on top of the preset (how the preset was tuned).
/// </summary>
public static class TimeToSuccessBenchmark
{
    public static int Run(BenchArgs args)
    {
        int seeds = args.Int("seeds", 5);
        string preset = args.String("preset", "point_goal");
        int evalEvery = args.Int("eval-every", 50);
        string[] overrides = args.String("set", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        args.EnsureAllUsed();

        var seconds90 = new List<double>();
        var seconds95 = new List<double>();
        var steps95 = new List<double>();
        for (int seed = 0; seed < seeds; seed++)
        {
            var config = ConfigLoader.LoadPreset(preset,
                [.. overrides, $"seed={seed}", $"eval.eval_freq={evalEvery}", $"log.log_interval={evalEvery}", "checkpoint.keep_best=false"]);
            using var run = BenchRun.Train(config);
            var evals = CsvLog<EvalRow>.ReadAll(run.Result.EvalCsvPath);
            var wallAt = CsvLog<ProgressRow>.ReadAll(run.Result.ProgressCsvPath).ToDictionary(r => r.Timesteps, r => r.WallTimeSeconds);
            (double s90, _) = FirstReaching(evals, wallAt, 0.9);
            (double s95, double t95) = FirstReaching(evals, wallAt, 0.95);
            seconds90.Add(s90); seconds95.Add(s95); steps95.Add(t95);
            BenchArgs.Print($"seed{seed}_seconds_to_0_9", s90);
            BenchArgs.Print($"seed{seed}_seconds_to_0_95", s95);
            BenchArgs.Print($"seed{seed}_steps_to_0_95", t95);
            BenchArgs.Print($"seed{seed}_final_success", evals[^1].SuccessRate);
        }
        BenchArgs.Print("seconds_to_0_9", Median(seconds90));
        BenchArgs.Print("seconds_to_0_95", Median(seconds95));
        BenchArgs.Print("steps_to_0_95", Median(steps95));
        return 0;
    }

    private static (double Seconds, double Steps) FirstReaching(List<EvalRow> evals, Dictionary<long, double> wallAt, double threshold)
    {
        foreach (var eval in evals)
            if (eval.SuccessRate >= threshold && wallAt.TryGetValue(eval.Timesteps, out double seconds))
                return (seconds, eval.Timesteps);
        return (double.PositiveInfinity, double.PositiveInfinity);
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
