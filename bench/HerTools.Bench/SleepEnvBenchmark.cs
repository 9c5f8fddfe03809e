using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;

namespace HerTools.Bench;

/// <summary>
/// <c>sleep-env-speed [--steps N] [--hidden W] [--sleep-ms S] [--repeats R]</c>: what stepping copies concurrently buys with an
/// environment that is slow to step. <c>SleepPointGoal-v0</c> is PointGoal-v0 sleeping S ms (default 1) in every step,
/// marked thread-safe; the product's training loop (DDPG+HER, two hidden layers of W, default 16, batch 32, one gradient
/// step per step of all copies) runs it with <c>n_envs</c> 1 and 2. Prints the environment steps (transitions) per second
/// of each, read from progress.csv after learning started (evaluations excluded), the best of R (default 2) alternating
/// runs each, and their ratio:
/// <c>sleep_env_steps_per_s_n1</c>, <c>sleep_env_steps_per_s_n2</c>, <c>sleep_env_speedup</c>. Half the speedup there comes
/// from SB3's counting (one update per step of both copies); the same loop without updates (learning never starts, so
/// only the stepping is compared) gives <c>sleep_env_collect_steps_per_s_n1</c>, <c>_n2</c> and
/// <c>sleep_env_collect_speedup</c>, which only concurrent stepping can raise above 1.
/// </summary>
public static class SleepEnvBenchmark
{
    private const string EnvId = "SleepPointGoal-v0";

    public static int Run(BenchArgs args)
    {
        int steps = args.Int("steps", 2000);
        int hidden = args.Int("hidden", 16);
        int sleepMs = args.Int("sleep-ms", 1);
        int repeats = args.Int("repeats", 2);
        args.EnsureAllUsed();
        if (steps < 8 || hidden < 1 || sleepMs < 0 || repeats < 1)
            throw new ArgumentException("steps must be at least 8, hidden and repeats positive, sleep-ms not negative");
        EnvRegistry.Register(new EnvSpec(EnvId, "PointGoal-v0 that sleeps in every step", [], PointGoalEnv.DefaultMaxEpisodeSteps,
            _ => new SleepingEnv(new PointGoalEnv(), sleepMs)));

        double one = 0, two = 0, collectOne = 0, collectTwo = 0;
        for (int i = 0; i < repeats; i++)
        {
            one = Math.Max(one, StepsPerSecond(1, steps, hidden, learn: true));
            two = Math.Max(two, StepsPerSecond(2, steps, hidden, learn: true));
            collectOne = Math.Max(collectOne, StepsPerSecond(1, steps, hidden, learn: false));
            collectTwo = Math.Max(collectTwo, StepsPerSecond(2, steps, hidden, learn: false));
        }
        BenchArgs.Print("sleep_env_steps_per_s_n1", one);
        BenchArgs.Print("sleep_env_steps_per_s_n2", two);
        BenchArgs.Print("sleep_env_speedup", two / one);
        BenchArgs.Print("sleep_env_collect_steps_per_s_n1", collectOne);
        BenchArgs.Print("sleep_env_collect_steps_per_s_n2", collectTwo);
        BenchArgs.Print("sleep_env_collect_speedup", collectTwo / collectOne);
        BenchArgs.Print("sleep_ms", sleepMs);
        return 0;
    }

    private static double StepsPerSecond(int copies, int steps, int hidden, bool learn)
    {
        const int Warmup = 100;
        int interval = steps / 4;
        int learningStarts = learn ? Warmup : Warmup + 4 * interval + 1;
        var config = ConfigLoader.LoadPreset("point_goal",
        [
            $"env.id={EnvId}", $"n_envs={copies}", "threads=1", $"ddpg.hidden_sizes=[{hidden}, {hidden}]", "ddpg.batch_size=32",
            $"ddpg.learning_starts={learningStarts}", "ddpg.train_freq=1", "ddpg.gradient_steps=1", $"total_timesteps={Warmup + 4 * interval}",
            $"log.log_interval={interval}", "eval.eval_freq=0", "eval.n_eval_episodes=1", "checkpoint.keep_best=false",
        ]);
        using var run = BenchRun.Train(config);
        var rows = CsvLog<ProgressRow>.ReadAll(run.Result.ProgressCsvPath).Where(r => r.Timesteps >= Warmup).ToList();
        var (first, last) = (rows[0], rows[^1]);
        return (last.Timesteps - first.Timesteps) / (last.WallTimeSeconds - first.WallTimeSeconds);
    }

    /// <summary>An environment whose every step also sleeps: a stand-in for a simulator or a process that is slow to step.
    /// Instances share nothing, so it says it is thread-safe.</summary>
    private sealed class SleepingEnv(IGoalEnv inner, int sleepMs) : IGoalEnv, IComputesTerminated, IThreadSafeEnv, ISavesState
    {
        public string Id => EnvId;
        public GoalObservationSpace ObservationSpace => inner.ObservationSpace;
        public Box ActionSpace => inner.ActionSpace;
        public int MaxEpisodeSteps => inner.MaxEpisodeSteps;
        public GoalObservation Reset(ulong? seed = null) => inner.Reset(seed);

        public StepResult Step(ReadOnlySpan<float> action)
        {
            Thread.Sleep(sleepMs);
            return inner.Step(action);
        }

        public void ComputeReward(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired, ReadOnlySpan<StepInfo> infos, Span<float> rewards) =>
            inner.ComputeReward(achieved, desired, infos, rewards);

        public void ComputeTerminated(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired, ReadOnlySpan<StepInfo> infos, Span<bool> terminated) =>
            ((IComputesTerminated)inner).ComputeTerminated(achieved, desired, infos, terminated);

        public void WriteState(BinaryWriter writer) => ((ISavesState)inner).WriteState(writer);
        public void ReadState(BinaryReader reader) => ((ISavesState)inner).ReadState(reader);
    }
}
