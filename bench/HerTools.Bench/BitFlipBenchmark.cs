using HerTools.Core.Config;

namespace HerTools.Bench;

/// <summary>
/// <c>bitflip [--bits 8,16,24] [--steps N] [--seed N] [--algos her,ddpg] [--set "key=value;..."]</c>: the bitflip preset at several sizes, with
/// <c>algo: her</c> and <c>algo: ddpg</c> at one fixed budget each, printing the final evaluation success
/// (<c>her_bits16_success=</c>, ...) and the training seconds. Plain DDPG's success falls to zero from about
/// 12 bits on, where random exploration stops reaching goals; HER's is what the relabeling buys.
/// </summary>
public static class BitFlipBenchmark
{
    public static int Run(BenchArgs args)
    {
        int[] bits = args.String("bits", "8,16,24").Split(',').Select(int.Parse).ToArray();
        long steps = args.Long("steps", 20_000);
        int seed = args.Int("seed", 0);
        string[] algos = args.String("algos", "her,ddpg").Split(',');
        string[] overrides = args.String("set", "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        args.EnsureAllUsed();
        foreach (int n in bits)
        {
            foreach (string algo in algos)
            {
                var config = ConfigLoader.LoadPreset("bitflip",
                    [.. overrides, $"algo={algo}", $"env.n_bits={n}", $"total_timesteps={steps}", $"seed={seed}", "eval.eval_freq=0",
                        "checkpoint.keep_best=false"]);
                using var run = BenchRun.Train(config);
                BenchArgs.Print($"{algo}_bits{n}_success", run.Result.FinalEvalSuccessRate ?? double.NaN);
                BenchArgs.Print($"{algo}_bits{n}_train_seconds", run.Result.Duration.TotalSeconds);
            }
        }
        return 0;
    }
}
