using System.Diagnostics;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Replay;
using HerTools.Core.Training;
using TorchSharp;

namespace HerTools.Bench;

/// <summary>
/// <c>memory [--steps N] [--hidden W] [--threads N]</c>: a long point_goal run (100,000 steps by default, one gradient
/// step per step, an evaluation every 10,000 steps) that samples memory at every 1% of the budget. Prints resident
/// memory at 10%, 50% and the end (<c>rss_mb_at_10pct=</c>, ...), its growth over the second half per 10,000 steps
/// (<c>rss_growth_mb_per_10k_steps_second_half=</c>), the managed heap after a full collection at the same points, and
/// the growth of live tensors on the training thread from 10% to the end (<c>live_tensors_growth=</c>, 0 when the hot
/// path disposes everything it makes). The replay buffer's arrays are allocated whole at the start, but the operating
/// system maps their pages in as they are first written, so filling the buffer does raise resident memory:
/// <c>replay_mb_filled_second_half=</c> is that share, and <c>rss_growth_mb_per_10k_steps_second_half_besides_replay=</c> the rest.
/// </summary>
public static class MemoryBenchmark
{
    private readonly record struct Sample(long Step, double RssMb, double ManagedMb, long LiveTensors);

    public static int Run(BenchArgs args)
    {
        int steps = args.Int("steps", 100_000);
        int hidden = args.Int("hidden", 64);
        int threads = args.Int("threads", 1);
        args.EnsureAllUsed();
        if (steps < 100 || hidden < 1 || threads < 1) throw new ArgumentException("steps must be at least 100, hidden and threads positive");

        var config = ConfigLoader.LoadPreset("point_goal",
        [
            $"threads={threads}", $"total_timesteps={steps}", $"ddpg.hidden_sizes=[{hidden}, {hidden}]", "ddpg.schedule=step",
            "ddpg.train_freq=1", "ddpg.gradient_steps=1", $"eval.eval_freq={Math.Max(1, steps / 10)}", "eval.n_eval_episodes=10",
            $"log.log_interval={Math.Max(1, steps / 100)}", "checkpoint.keep_best=false",
        ]);
        var samples = new List<Sample>();
        var process = Process.GetCurrentProcess();
        // Reports arrive every 1% of the budget on the training thread (the callback runs synchronously).
        var progress = new SynchronousProgress(p =>
        {
            if (p.Message is not null || p.Timesteps == 0) return;
            double managedMb = GC.GetTotalMemory(forceFullCollection: true) / 1e6; // collects (finalizers too) until the heap settles
            process.Refresh();
            samples.Add(new Sample(p.Timesteps, process.WorkingSet64 / 1e6, managedMb, DisposeScopeManager.Statistics.ThreadTotalLiveCount));
        });
        var clock = Stopwatch.StartNew();
        using (var run = BenchRun.Train(config, progress))
        {
            if (run.Result.Status != TrainingStatus.Completed) throw new InvalidOperationException($"training ended {run.Result.Status}");
        }
        double seconds = clock.Elapsed.TotalSeconds;
        var env = new PointGoalEnv();
        double replayBytesPerTransition = HerReplayBuffer.ForEnv(env, config.Ddpg.BufferSize, GoalSelectionStrategy.Future, 0.8).BytesPerTransition;

        Sample At(double fraction) => samples.First(s => s.Step >= fraction * steps);
        var (tenth, half, end) = (At(0.1), At(0.5), samples[^1]);
        BenchArgs.Print("steps", steps);
        BenchArgs.Print("seconds", seconds);
        BenchArgs.Print("rss_mb_at_10pct", tenth.RssMb);
        BenchArgs.Print("rss_mb_at_50pct", half.RssMb);
        BenchArgs.Print("rss_mb_at_end", end.RssMb);
        double tensOfThousands = (end.Step - half.Step) / 10_000.0;
        double replayFilledMb = (Math.Min(end.Step, config.Ddpg.BufferSize) - Math.Min(half.Step, config.Ddpg.BufferSize)) * replayBytesPerTransition / 1e6;
        BenchArgs.Print("rss_growth_mb_per_10k_steps_second_half", (end.RssMb - half.RssMb) / tensOfThousands);
        BenchArgs.Print("replay_mb_filled_second_half", replayFilledMb);
        BenchArgs.Print("rss_growth_mb_per_10k_steps_second_half_besides_replay", (end.RssMb - half.RssMb - replayFilledMb) / tensOfThousands);
        BenchArgs.Print("managed_mb_at_10pct", tenth.ManagedMb);
        BenchArgs.Print("managed_mb_at_end", end.ManagedMb);
        BenchArgs.Print("live_tensors_growth", end.LiveTensors - tenth.LiveTensors);
        return 0;
    }

    private sealed class SynchronousProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => onReport(value);
    }
}
