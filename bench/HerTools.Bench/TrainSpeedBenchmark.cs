using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Core.Training;
using TorchSharp;

namespace HerTools.Bench;

/// <summary>
/// <c>train-speed [--learner ddpg|td3|sac] [--env point_goal|push2d] [--threads N] [--steps N] [--learning-starts L] [--hidden W] [--batch B]
/// [--n-envs E]</c>: the product's own training run (<see cref="HerTrainer.TrainHer"/>, the path <c>her-tools train</c> takes) of the learner
/// with HER on PointGoal-v0 (default) or Push2D-v0, future strategy, 4 sampled goals, one gradient step and one target update per step of
/// the E environment copies (<c>n_envs</c>, default 1: per environment step), two hidden layers of W, batch B, learning starting after L
/// steps (default max(300, B)), at Stable-Baselines3's settings for the side-by-side in <c>bench/sb3</c> (learning rate 1e-3, gamma 0.95,
/// tau 0.05, absolute goals, no random actions or action penalty; Gaussian noise 0.2 for DDPG and TD3, SAC exploring by sampling).
/// Prints <c>env_steps_per_s</c> (that run, read from its progress.csv, over the steps after learning started, in transitions), and for
/// DDPG on PointGoal-v0 beside it the bare update: <c>gradient_steps_per_s</c> (the learner's update and target update alone, on a batch of B) and
/// <c>bound_updates_per_s</c>, the rate this machine allows at this thread count:
/// <c>1 / (FLOPs per update / measured matmul FLOP/s + measured per-update overhead)</c>, the overhead being the time
/// of a whole update with tiny networks at the same batch size.
/// </summary>
public static class TrainSpeedBenchmark
{
    private const int WarmupSteps = 300;

    /// <summary>The environments <c>--env</c> takes (bench/sb3/train_speed.py's names), each with its id.</summary>
    private static readonly Dictionary<string, string> EnvIdByName = new(StringComparer.Ordinal)
    {
        ["point_goal"] = "PointGoal-v0",
        ["push2d"] = "Push2D-v0",
    };

    public static int Run(BenchArgs args)
    {
        string learner = args.String("learner", "ddpg");
        string envName = args.String("env", "point_goal");
        int threads = args.Int("threads", 1);
        int steps = args.Int("steps", 2000);
        int hidden = args.Int("hidden", 256);
        int batchSize = args.Int("batch", 256);
        int copies = args.Int("n-envs", 1);
        int learningStarts = args.Int("learning-starts", Math.Max(WarmupSteps, batchSize));
        args.EnsureAllUsed();
        if (threads < 1 || steps < 1 || hidden < 1 || batchSize < 1 || copies < 1)
            throw new ArgumentException("threads, steps, hidden, batch and n-envs must be positive");
        if (learner is not ("ddpg" or "td3" or "sac")) throw new ArgumentException($"--learner must be ddpg, td3 or sac, got '{learner}'");
        if (!EnvIdByName.ContainsKey(envName))
            throw new ArgumentException($"--env must be {string.Join(" or ", EnvIdByName.Keys)}, got '{envName}'");
        if (learningStarts < batchSize) throw new ArgumentException($"--learning-starts ({learningStarts}) must be at least --batch ({batchSize})");
        var run = new SpeedRun(learner, envName, threads, steps, hidden, batchSize, copies, learningStarts);
        if (learner != "ddpg" || envName != "point_goal")
        {
            BenchArgs.Print("env_steps_per_s", ProductLoopStepsPerSecond(run));
            BenchArgs.Print("learning_starts", learningStarts);
            BenchArgs.Print("threads", threads);
            return 0;
        }

        double productSteps = ProductLoopStepsPerSecond(run);

        // The bare update and the bound: matmul rate at this thread count, and the fixed cost of an update whose arithmetic is negligible.
        var env = new PointGoalEnv();
        int observationSize = env.ObservationSpace.Observation.Size, goalSize = env.ObservationSpace.DesiredGoal.Size;
        int actionSize = env.ActionSpace.Size;
        var options = new LearnerOptions { HiddenSizes = [hidden, hidden], Threads = threads, Seed = 1 };
        torch.set_num_threads(threads);
        double updateSeconds = UpdateSeconds(options, observationSize, goalSize, actionSize, env.ActionSpace, batchSize, steps);
        double flopsPerSecond = MatmulFlopsPerSecond();
        double flopsPerUpdate = UpdateFlops(observationSize + goalSize, actionSize, [hidden, hidden], batchSize);
        int[] tiny = [8, 8];
        double tinySeconds = UpdateSeconds(options with { HiddenSizes = tiny }, observationSize, goalSize, actionSize, env.ActionSpace, batchSize, 1000);
        double overheadSeconds = Math.Max(0, tinySeconds - UpdateFlops(observationSize + goalSize, actionSize, tiny, batchSize) / flopsPerSecond);
        double bound = 1 / (flopsPerUpdate / flopsPerSecond + overheadSeconds);

        BenchArgs.Print("env_steps_per_s", productSteps);
        BenchArgs.Print("gradient_steps_per_s", 1 / updateSeconds);
        BenchArgs.Print("bound_updates_per_s", bound);
        BenchArgs.Print("gradient_share_of_bound", 1 / updateSeconds / bound);
        BenchArgs.Print("update_ms", updateSeconds * 1e3);
        BenchArgs.Print("mflop_per_update", flopsPerUpdate / 1e6);
        BenchArgs.Print("matmul_gflop_per_s", flopsPerSecond / 1e9);
        BenchArgs.Print("update_overhead_ms", overheadSeconds * 1e3);
        BenchArgs.Print("learning_starts", learningStarts);
        BenchArgs.Print("threads", threads);
        BenchArgs.Print("n_envs", copies);
        return 0;
    }

    /// <summary>What one <c>train-speed</c> run trains: the options as given.</summary>
    private sealed record SpeedRun(string Learner, string Env, int Threads, int Steps, int Hidden, int BatchSize, int Copies, int LearningStarts);

    /// <summary>
    /// Environment steps per second of <see cref="HerTrainer.TrainHer"/> itself (future, k=4, one gradient step and one target update per
    /// step), read from progress.csv over the steps after learning started, so the random warm-up and the final evaluation are left out.
    /// The settings are bench/sb3/train_speed.py's, so the two time the same work: the environment, relabeling, network and batch sizes, and
    /// exploration (DDPG and TD3 add Gaussian noise 0.2; SAC samples its policy).
    /// </summary>
    private static double ProductLoopStepsPerSecond(SpeedRun run)
    {
        int interval = Math.Max(run.Copies, run.Steps / 4 / run.Copies * run.Copies);
        string noise = run.Learner == "sac" ? "none" : "gaussian";
        // The point_goal preset names every key the run depends on, each overridden here but the environment's id.
        var config = ConfigLoader.LoadPreset("point_goal",
        [
            $"env.id={EnvIdByName[run.Env]}",
            run.Learner == "ddpg" ? "algo=her" : $"algo={run.Learner}_her", $"threads={run.Threads}",
            $"ddpg.hidden_sizes=[{run.Hidden}, {run.Hidden}]", $"ddpg.batch_size={run.BatchSize}", $"ddpg.learning_starts={run.LearningStarts}",
            "ddpg.train_freq=1", "ddpg.gradient_steps=1", "ddpg.schedule=step", "ddpg.actor_lr=0.001", "ddpg.critic_lr=0.001",
            "ddpg.gamma=0.95", "ddpg.tau=0.05", $"ddpg.action_noise={noise}", "ddpg.noise_sigma=0.2", "ddpg.random_eps=0", "ddpg.action_l2=0",
            "ddpg.relative_goals=false", "her.n_sampled_goal=4", "her.goal_selection_strategy=future",
            $"total_timesteps={run.LearningStarts + 4 * interval}", $"log.log_interval={interval}", "eval.eval_freq=0",
            "eval.n_eval_episodes=1", "checkpoint.keep_best=false", "ddpg.buffer_size=100000", $"n_envs={run.Copies}",
        ]);
        using var trained = BenchRun.Train(config);
        var rows = CsvLog<ProgressRow>.ReadAll(trained.Result.ProgressCsvPath).Where(r => r.Timesteps >= run.LearningStarts).ToList();
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

    /// <summary>Seconds of one <see cref="Ddpg.Update"/> + <see cref="Ddpg.UpdateTargets"/> on a random batch, after a warm-up, averaged over <paramref
    /// name="timed"/>.</summary>
    private static double UpdateSeconds(LearnerOptions options, int observationSize, int goalSize, int actionSize, Box actionSpace, int batchSize, int timed)
    {
        using var ddpg = new Ddpg(options, observationSize, goalSize, actionSize, actionSpace.Low, actionSpace.High);
        var batch = new ReplayBatch(batchSize, observationSize, goalSize, actionSize) { Count = batchSize };
        var rng = new Rng(2);
        for (int i = 0; i < batch.Inputs.Length; i++) { batch.Inputs[i] = (float)rng.Uniform(-1, 1); batch.NextInputs[i] = (float)rng.Uniform(-1, 1); }
        for (int i = 0; i < batchSize; i++) { batch.Actions[i * actionSize] = (float)rng.Uniform(-1, 1); batch.Rewards[i] = -1; batch.NotDone[i] = 1; }
        for (int i = 0; i < Math.Max(WarmupSteps, timed / 10); i++) { ddpg.Update(batch); ddpg.UpdateTargets(); }
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < timed; i++) { ddpg.Update(batch); ddpg.UpdateTargets(); }
        return clock.Elapsed.TotalSeconds / timed;
    }
}
