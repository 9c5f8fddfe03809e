using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using TorchSharp;

namespace HerTools.Bench;

/// <summary>
/// <c>train-speed [--learner ddpg|td3|sac] [--threads N] [--steps N] [--hidden W] [--batch B]</c>: DDPG+HER on PointGoal-v0 (the real
/// <see cref="HerReplayBuffer"/>, future strategy, 4 sampled goals) with one gradient step (and one target update)
/// per environment step, two hidden layers of W, batch B.
/// Prints <c>env_steps_per_s</c> (whole loop), <c>gradient_steps_per_s</c> (time inside the learner's
/// update and target update only) and <c>bound_updates_per_s</c>, the rate this machine allows at
/// this thread count: <c>1 / (FLOPs per update / measured matmul FLOP/s + measured per-update overhead)</c>,
/// the overhead being the time of a whole update with tiny networks at the same batch size.
/// Also prints the figures the bound is made of and how memory moved over the timed steps.
/// With <c>--learner td3</c> or <c>sac</c> it prints <c>env_steps_per_s</c> of the product's loop with that learner
/// (<c>algo: td3_her</c> / <c>sac_her</c>, the same schedule and sizes; SAC explores by sampling, without added noise).
/// </summary>
public static class TrainSpeedBenchmark
{
    private const int WarmupSteps = 300;
    private const float NoiseSigma = 0.1f;

    public static int Run(BenchArgs args)
    {
        string learner = args.String("learner", "ddpg");
        int threads = args.Int("threads", 1);
        int steps = args.Int("steps", 2000);
        int hidden = args.Int("hidden", 256);
        int batchSize = args.Int("batch", 256);
        args.EnsureAllUsed();
        if (threads < 1 || steps < 1 || hidden < 1 || batchSize < 1) throw new ArgumentException("threads, steps, hidden and batch must be positive");
        if (learner is not ("ddpg" or "td3" or "sac")) throw new ArgumentException($"--learner must be ddpg, td3 or sac, got '{learner}'");
        if (learner != "ddpg")
        {
            BenchArgs.Print("env_steps_per_s", ProductLoopStepsPerSecond(threads, steps, hidden, batchSize, learner));
            BenchArgs.Print("threads", threads);
            return 0;
        }

        var env = new PointGoalEnv();
        int observationSize = env.ObservationSpace.Observation.Size, goalSize = env.ObservationSpace.DesiredGoal.Size;
        int actionSize = env.ActionSpace.Size;
        var options = new DdpgOptions { HiddenSizes = [hidden, hidden], Threads = threads, Seed = 1 };

        // Training loop: warm-up (fills the replay, warms the allocator and MKL), then the timed steps.
        double updateSeconds, loopSeconds;
        long managedBytes;
        double rssStartMb, rssEndMb;
        using (var ddpg = new Ddpg(options, observationSize, goalSize, actionSize, env.ActionSpace.Low, env.ActionSpace.High))
        {
            var loop = new TrainingLoop(env, ddpg, batchSize);
            loop.Run(Math.Max(WarmupSteps, batchSize));
            GC.Collect();
            rssStartMb = Process.GetCurrentProcess().WorkingSet64 / 1e6;
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var clock = Stopwatch.StartNew();
            updateSeconds = loop.Run(steps);
            loopSeconds = clock.Elapsed.TotalSeconds;
            managedBytes = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            GC.Collect();
            rssEndMb = Process.GetCurrentProcess().WorkingSet64 / 1e6;
        }

        // The bound: matmul rate at this thread count, and the fixed cost of an update whose arithmetic is negligible.
        torch.set_num_threads(threads);
        double flopsPerSecond = MatmulFlopsPerSecond();
        double flopsPerUpdate = UpdateFlops(observationSize + goalSize, actionSize, [hidden, hidden], batchSize);
        double overheadSeconds = TinyUpdateSeconds(options, observationSize, goalSize, actionSize, env.ActionSpace, batchSize, flopsPerSecond);
        double bound = 1 / (flopsPerUpdate / flopsPerSecond + overheadSeconds);

        double productSteps = ProductLoopStepsPerSecond(threads, steps, hidden, batchSize);

        // env_steps_per_s is the product's own loop (HerTrainer, algo: her); the learner-only loop above
        // isolates the update for gradient_steps_per_s and the bound.
        BenchArgs.Print("env_steps_per_s", productSteps);
        BenchArgs.Print("learner_loop_env_steps_per_s", steps / loopSeconds);
        BenchArgs.Print("gradient_steps_per_s", steps / updateSeconds);
        BenchArgs.Print("bound_updates_per_s", bound);
        BenchArgs.Print("gradient_share_of_bound", steps / updateSeconds / bound);
        BenchArgs.Print("update_ms", updateSeconds / steps * 1e3);
        BenchArgs.Print("mflop_per_update", flopsPerUpdate / 1e6);
        BenchArgs.Print("matmul_gflop_per_s", flopsPerSecond / 1e9);
        BenchArgs.Print("update_overhead_ms", overheadSeconds * 1e3);
        BenchArgs.Print("managed_bytes_per_step", (double)managedBytes / steps);
        BenchArgs.Print("rss_growth_mb", rssEndMb - rssStartMb);
        BenchArgs.Print("threads", threads);
        return 0;
    }

    /// <summary>
    /// Environment steps per second of <see cref="HerTrainer.TrainHer"/> itself (algo: her, future, k=4, one gradient
    /// step and one target update per step), read from progress.csv over the steps after learning started, so the
    /// random warm-up and the final evaluation are left out.
    /// </summary>
    private static double ProductLoopStepsPerSecond(int threads, int steps, int hidden, int batchSize, string learner = "ddpg")
    {
        int warmup = Math.Max(WarmupSteps, batchSize);
        int interval = Math.Max(1, steps / 4);
        var config = ConfigLoader.LoadPreset("point_goal",
        [
            learner == "ddpg" ? "algo=her" : $"algo={learner}_her", $"threads={threads}", $"ddpg.hidden_sizes=[{hidden}, {hidden}]", $"ddpg.batch_size={batchSize}",
            $"ddpg.learning_starts={warmup}", "ddpg.train_freq=1", "ddpg.gradient_steps=1", "ddpg.schedule=step",
            $"total_timesteps={warmup + 4 * interval}", $"log.log_interval={interval}", "eval.eval_freq=0", "eval.n_eval_episodes=1",
            "checkpoint.keep_best=false", "ddpg.buffer_size=100000",
            .. learner == "sac" ? (string[])["ddpg.action_l2=0", "ddpg.action_noise=none", "ddpg.random_eps=0"] : [],
        ]);
        using var run = BenchRun.Train(config);
        var rows = CsvLog<ProgressRow>.ReadAll(run.Result.ProgressCsvPath).Where(r => r.Timesteps >= warmup).ToList();
        var (first, last) = (rows[0], rows[^1]);
        return (last.Timesteps - first.Timesteps) / (last.WallTimeSeconds - first.WallTimeSeconds);
    }

    /// <summary>
    /// Matmul FLOPs of one <see cref="Ddpg.Update"/>: 2 * rows * in * out per layer for a forward pass, the
    /// same again for a weight gradient and for an input gradient (not needed below a network's first layer,
    /// except the critic's in the actor loss, whose input holds the action). The critic is frozen in the
    /// actor loss, so it has no weight gradient there. 256x256 at batch 256: 340.7 MFLOP (374.9 unfrozen).
    /// </summary>
    public static double UpdateFlops(int inputSize, int actionSize, int[] hidden, int batchSize)
    {
        static (double All, double First) Products(int input, int[] hidden, int output)
        {
            int[] widths = [input, .. hidden, output];
            double all = 0;
            for (int i = 0; i < widths.Length - 1; i++) all += (double)widths[i] * widths[i + 1];
            return (all, (double)widths[0] * widths[1]);
        }
        var actor = Products(inputSize, hidden, actionSize);
        var critic = Products(inputSize + actionSize, hidden, 1);
        double target = actor.All + critic.All;
        double criticLoss = critic.All + critic.All + (critic.All - critic.First);
        double actorLoss = actor.All + critic.All + critic.All + actor.All + (actor.All - actor.First);
        return 2.0 * batchSize * (target + criticLoss + actorLoss);
    }

    private static double MatmulFlopsPerSecond()
    {
        using var a = torch.rand(256, 256);
        using var b = torch.rand(256, 256);
        for (int i = 0; i < 50; i++) { using var scope = torch.NewDisposeScope(); a.matmul(b); }
        var clock = Stopwatch.StartNew();
        int count = 0;
        while (clock.Elapsed.TotalSeconds < 1.0)
        {
            using var scope = torch.NewDisposeScope();
            a.matmul(b);
            count++;
        }
        return count * 2.0 * 256 * 256 * 256 / clock.Elapsed.TotalSeconds;
    }

    // Time of Update + UpdateTargets with two hidden layers of 8 at the full batch size, minus its own (tiny) arithmetic.
    private static double TinyUpdateSeconds(DdpgOptions options, int observationSize, int goalSize, int actionSize, Box actionSpace, int batchSize, double flopsPerSecond)
    {
        int[] tiny = [8, 8];
        using var ddpg = new Ddpg(options with { HiddenSizes = tiny }, observationSize, goalSize, actionSize, actionSpace.Low, actionSpace.High);
        var batch = new ReplayBatch(batchSize, observationSize, goalSize, actionSize) { Count = batchSize };
        var rng = new Rng(2);
        for (int i = 0; i < batch.Inputs.Length; i++) { batch.Inputs[i] = (float)rng.Uniform(-1, 1); batch.NextInputs[i] = (float)rng.Uniform(-1, 1); }
        for (int i = 0; i < batchSize; i++) { batch.Actions[i * actionSize] = (float)rng.Uniform(-1, 1); batch.Rewards[i] = -1; batch.NotDone[i] = 1; }
        for (int i = 0; i < 200; i++) { ddpg.Update(batch); ddpg.UpdateTargets(); }
        const int timed = 1000;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < timed; i++) { ddpg.Update(batch); ddpg.UpdateTargets(); }
        double perUpdate = clock.Elapsed.TotalSeconds / timed;
        return Math.Max(0, perUpdate - UpdateFlops(observationSize + goalSize, actionSize, tiny, batchSize) / flopsPerSecond);
    }

    /// <summary>Acting with Gaussian exploration, storing, sampling, one update and one target update per step.</summary>
    private sealed class TrainingLoop(PointGoalEnv env, Ddpg ddpg, int batchSize)
    {
        private readonly HerReplayBuffer _replay = HerReplayBuffer.ForEnv(env, 100_000, GoalSelectionStrategy.Future, HerReplayBuffer.HerRatioFromSampledGoals(4));
        private readonly ReplayBatch _batch = new(batchSize, ddpg.ObservationSize, ddpg.GoalSize, ddpg.ActionSize);
        private readonly GaussianNoise _noise = new(ddpg.ActionSize, NoiseSigma, new Rng(3));
        private readonly Rng _sampleRng = new(4);
        private readonly float[] _input = new float[ddpg.InputSize];
        private readonly float[] _action = new float[ddpg.ActionSize], _noiseSample = new float[ddpg.ActionSize];
        private GoalObservation? _observation;
        private ulong _episodes;

        /// <summary>Runs <paramref name="steps"/> environment steps; returns the seconds spent inside the learner's updates.</summary>
        public double Run(int steps)
        {
            var updateClock = new Stopwatch();
            for (int step = 0; step < steps; step++)
            {
                if (_observation is null)
                {
                    _observation = env.Reset(seed: 1000 + _episodes++);
                    _replay.StartEpisode(_observation);
                }
                Flatten(_observation, _input);
                ddpg.Act(_input, _action);
                _noise.Sample(_noiseSample);
                for (int i = 0; i < _action.Length; i++)
                    _action[i] = Math.Clamp(_action[i] + _noiseSample[i], env.ActionSpace.Low[i], env.ActionSpace.High[i]);
                var result = env.Step(_action);
                _replay.AddStep(_action, result.Observation, result.Reward, result.Terminated, result.Truncated);
                _observation = result.Observation;
                if (result.Terminated || result.Truncated)
                {
                    _replay.EndEpisode();
                    _observation = null;
                }

                if (_replay.TransitionCount < batchSize) continue;
                _replay.Sample(batchSize, _sampleRng, _batch);
                ddpg.UpdateNormalizers(_batch);
                updateClock.Start();
                ddpg.Update(_batch);
                ddpg.UpdateTargets();
                updateClock.Stop();
            }
            return updateClock.Elapsed.TotalSeconds;
        }

        private static void Flatten(GoalObservation observation, float[] input)
        {
            observation.Observation.CopyTo(input, 0);
            observation.DesiredGoal.CopyTo(input, observation.Observation.Length);
        }
    }
}
