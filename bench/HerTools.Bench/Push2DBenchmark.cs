using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Bench;

/// <summary>
/// <c>push2d [--seeds N] [--preset NAME | --config FILE] [--eval-every STEPS] [--set "key=value;key=value"]</c>: trains the <c>push2d</c> preset
/// (or the config file, for tuning a candidate) once per
/// seed (0..N-1, 5 by default), evaluating every <c>--eval-every</c> steps (the preset's <c>eval_freq</c> by default) under the spec's
/// protocol, and prints per seed and as medians the training seconds (evaluation excluded: progress.csv's <c>wall_time_s</c>) and
/// environment steps until evaluation success first reaches 0.9 (<c>Infinity</c> when it never does within the budget); then the same
/// learner without relabeling (<c>algo</c> without <c>_her</c>; <c>ddpg</c> for <c>her</c>) at the same budget, whose median final
/// success is <c>push2d_no_her_success</c>.
/// </summary>
public static class Push2DBenchmark
{
    public static int Run(BenchArgs args)
    {
        int seeds = args.Int("seeds", 5);
        string preset = args.String("preset", "push2d");
        string config = args.String("config", "");
        int evalEvery = args.Int("eval-every", 0);
        string[] overrides = args.String("set", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        args.EnsureAllUsed();

        var seconds = new List<double>();
        var steps = new List<double>();
        var noHer = new List<double>();
        string? plainAlgo = null;
        for (int seed = 0; seed < seeds; seed++)
        {
            var runConfig = Load(config, preset, overrides, seed, evalEvery, algo: null);
            plainAlgo ??= PlainAlgo(runConfig.Algo);
            using (var run = BenchRun.Train(runConfig))
            {
                var evals = CsvLog<EvalRow>.ReadAll(run.Result.EvalCsvPath);
                var wallAt = CsvLog<ProgressRow>.ReadAll(run.Result.ProgressCsvPath).ToDictionary(r => r.Timesteps, r => r.WallTimeSeconds);
                var first = evals.FirstOrDefault(e => e.SuccessRate >= 0.9 && wallAt.ContainsKey(e.Timesteps));
                double s = first is null ? double.PositiveInfinity : wallAt[first.Timesteps];
                double t = first is null ? double.PositiveInfinity : first.Timesteps;
                seconds.Add(s); steps.Add(t);
                BenchArgs.Print($"seed{seed}_seconds_to_0_9", s);
                BenchArgs.Print($"seed{seed}_steps_to_0_9", t);
                BenchArgs.Print($"seed{seed}_final_success", evals[^1].SuccessRate);
            }
            using (var plain = BenchRun.Train(Load(config, preset, overrides, seed, evalEvery, plainAlgo)))
            {
                double success = CsvLog<EvalRow>.ReadAll(plain.Result.EvalCsvPath)[^1].SuccessRate;
                noHer.Add(success);
                BenchArgs.Print($"seed{seed}_no_her_success", success);
            }
        }
        BenchArgs.Print("push2d_seconds_to_0_9", TimeToSuccessBenchmark.Median(seconds));
        BenchArgs.Print("push2d_steps_to_0_9", TimeToSuccessBenchmark.Median(steps));
        BenchArgs.Print("push2d_no_her_success", TimeToSuccessBenchmark.Median(noHer));
        return 0;
    }

    private static RunConfig Load(string configFile, string preset, string[] overrides, int seed, int evalEvery, string? algo)
    {
        List<string> set = [.. overrides, $"seed={seed}", "checkpoint.keep_best=false"];
        if (evalEvery > 0) set.AddRange([$"eval.eval_freq={evalEvery}", $"log.log_interval={evalEvery}"]);
        if (algo is not null) set.Add($"algo={algo}");
        return configFile.Length > 0 ? ConfigLoader.LoadFile(configFile, set) : ConfigLoader.LoadPreset(preset, set);
    }

    // The same learner with plain replay: the registered algorithm of that learner that does not relabel.
    private static string PlainAlgo(string algo)
    {
        string learner = AlgorithmRegistry.Get(algo).Learner;
        return AlgorithmRegistry.List().First(a => a.Learner == learner && !a.Relabels).Name;
    }
}
