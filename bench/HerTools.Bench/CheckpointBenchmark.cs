using System.Diagnostics;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.Bench;

/// <summary>
/// <c>checkpoint [--transitions N]</c>: a point_goal run whose replay buffer holds N transitions (1,000,000 by
/// default: filled by training with learning deferred past the budget, so filling runs at environment speed),
/// then prints <c>checkpoint_write_ms=</c> (one full checkpoint: weights, optimisers, generators, episode in
/// progress and buffer, hashed, flushed and renamed into place), <c>checkpoint_bytes=</c> and <c>resume_ms=</c>
/// (open, verify every hash, restore everything, until training could take its next step).
/// </summary>
public static class CheckpointBenchmark
{
    public static int Run(BenchArgs args)
    {
        long transitions = args.Long("transitions", 1_000_000);
        args.EnsureAllUsed();
        string directory = Path.Combine(Path.GetTempPath(), $"hertools-bench-ckpt-{Guid.NewGuid():N}");
        try
        {
            var config = ConfigLoader.LoadPreset("point_goal",
            [
                $"total_timesteps={transitions}", $"ddpg.buffer_size={transitions}", $"ddpg.learning_starts={transitions + 1}",
                "eval.eval_freq=0", "eval.n_eval_episodes=1", $"log.log_interval={transitions}", "checkpoint.keep_best=false",
            ]);
            var filled = HerTrainer.TrainHer(config, directory);

            var clock = Stopwatch.StartNew();
            using var folder = RunFolder.OpenExisting(directory);
            using var run = TrainingRun.Open(null, folder, filled.LastCheckpointPath);
            double resumeMs = clock.Elapsed.TotalMilliseconds;

            clock.Restart();
            string written = run.SaveCheckpointNow();
            double writeMs = clock.Elapsed.TotalMilliseconds;

            BenchArgs.Print("stored_transitions", transitions);
            BenchArgs.Print("checkpoint_write_ms", writeMs);
            BenchArgs.Print("checkpoint_bytes", CheckpointStore.ReadInfo(written).TotalBytes);
            BenchArgs.Print("resume_ms", resumeMs);
            return 0;
        }
        finally
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }
}
