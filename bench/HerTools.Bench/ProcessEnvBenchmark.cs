using System.Diagnostics;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Bench;

/// <summary>
/// <c>env-process [--steps N] [--batches N] [--python python3]</c>: PointGoal-v0 through the Python adapter
/// (adapters/python/point_goal_env.py) against the built-in one, with the same seeded random actions:
/// environment steps per second of each, the protocol's cost per step (<c>process_overhead_us_per_step</c>: the time
/// per step through the process minus the time in process), and rows of batched <c>compute</c> per second in
/// batches of 256, as the replay buffer sends them.
/// </summary>
/// <remarks>The process's time includes the Python environment itself, so the overhead printed is the protocol plus
/// the Python step: an upper bound of what the protocol adds.</remarks>
public static class ProcessEnvBenchmark
{
    private const int BatchSize = 256;

    public static int Run(BenchArgs args)
    {
        int steps = args.Int("steps", 50_000);
        int batches = args.Int("batches", 2_000);
        string python = args.String("python", "python3");
        args.EnsureAllUsed();
        string script = Path.Combine(RepositoryRoot(), "adapters", "python", "point_goal_env.py");

        using var process = ProcessGoalEnv.Start([python, script], null, TimeSpan.FromSeconds(60));
        var builtIn = new PointGoalEnv();
        Play(process, 2_000, 7);
        Play(builtIn, 2_000, 7);

        double processSeconds = Play(process, steps, 1);
        double builtInSeconds = Play(builtIn, steps, 1);
        BenchArgs.Print("process_env_steps_per_s", steps / processSeconds);
        BenchArgs.Print("builtin_env_steps_per_s", steps / builtInSeconds);
        BenchArgs.Print("process_overhead_us_per_step", (processSeconds - builtInSeconds) / steps * 1e6);

        var rng = new Rng(3);
        float[] achieved = new float[BatchSize], desired = new float[BatchSize], rewards = new float[BatchSize];
        for (int i = 0; i < BatchSize; i++) { achieved[i] = (float)rng.Uniform(-1, 1); desired[i] = (float)rng.Uniform(-1, 1); }
        process.ComputeReward(achieved, desired, [], rewards);
        var clock = Stopwatch.StartNew();
        for (int b = 0; b < batches; b++) process.ComputeReward(achieved, desired, [], rewards);
        BenchArgs.Print("process_compute_reward_rows_per_s", (double)batches * BatchSize / clock.Elapsed.TotalSeconds);
        return 0;
    }

    private static double Play(IGoalEnv env, int steps, ulong seed)
    {
        var rng = new Rng(seed);
        float[] action = new float[1];
        env.Reset(seed);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < steps; i++)
        {
            action[0] = (float)rng.Uniform(-1, 1);
            var step = env.Step(action);
            if (step.Terminated || step.Truncated) env.Reset();
        }
        return clock.Elapsed.TotalSeconds;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HerTools.sln"))) return dir.FullName;
        throw new InvalidOperationException("HerTools.sln not found above " + AppContext.BaseDirectory);
    }
}
