using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Envs;
using HerTools.Core.Training;

namespace HerTools.Bench;

/// <summary>
/// <c>eval-speed [--episodes N] [--hidden W] [--repeats R]</c>: evaluation episodes per second on PointGoal-v0 with the
/// point_goal preset's policy shape (two hidden layers of W, relative goals), three ways:
/// <c>eval_episodes_per_s_sequential</c> one episode after another acting through TorchSharp one row at a time (the
/// evaluation before batching), <c>eval_episodes_per_s_sequential_managed</c> one after another through the managed
/// forward pass, and <c>eval_episodes_per_s_batched</c> all episodes side by side, one managed forward pass per step.
/// Each figure is the best of R repeats (the machine is shared; the best is the least disturbed).
/// </summary>
public static class EvalSpeedBenchmark
{
    public static int Run(BenchArgs args)
    {
        int episodes = args.Int("episodes", 100);
        int hidden = args.Int("hidden", 64);
        int repeats = args.Int("repeats", 5);
        args.EnsureAllUsed();
        if (episodes < 1 || hidden < 1 || repeats < 1) throw new ArgumentException("episodes, hidden and repeats must be positive");

        var env = new PointGoalEnv();
        var options = new LearnerOptions { HiddenSizes = [hidden, hidden], Threads = 1, Seed = 3, RelativeGoals = true };
        using var her = new GoalConditionedAgent(options, env.ObservationSpace.Observation.Size, env.ObservationSpace.DesiredGoal.Size, env.ActionSpace);
        var torch = new TorchSharpActing(her, relativeGoals: true);
        var envs = Enumerable.Range(0, Math.Min(episodes, Evaluator.MaxParallelEpisodes)).Select(_ => (IGoalEnv)new PointGoalEnv()).ToArray();

        // One untimed pass each: JIT, TorchSharp's first calls.
        var reference = Evaluator.Evaluate(torch, env, episodes, 1000);
        Evaluator.Evaluate(her, env, episodes, 1000);
        var batchedResult = Evaluator.EvaluateBatched(her, envs, episodes, 1000);

        double sequential = Best(repeats, () => Evaluator.Evaluate(torch, env, episodes, 1000));
        double managed = Best(repeats, () => Evaluator.Evaluate(her, env, episodes, 1000));
        double batched = Best(repeats, () => Evaluator.EvaluateBatched(her, envs, episodes, 1000));

        BenchArgs.Print("eval_episodes_per_s_sequential", episodes / sequential);
        BenchArgs.Print("eval_episodes_per_s_sequential_managed", episodes / managed);
        BenchArgs.Print("eval_episodes_per_s_batched", episodes / batched);
        BenchArgs.Print("batched_over_sequential", sequential / batched);
        BenchArgs.Print("batched_over_sequential_managed", managed / batched);
        // The TorchSharp and the managed pass round differently; over 50-step episodes that rarely moves an outcome.
        BenchArgs.Print("mean_final_distance_difference", Math.Abs(reference.MeanFinalDistance - batchedResult.MeanFinalDistance));
        return 0;
    }

    private static double Best(int repeats, Action evaluate)
    {
        double best = double.MaxValue;
        for (int i = 0; i < repeats; i++)
        {
            long start = Stopwatch.GetTimestamp();
            evaluate();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }
        return best;
    }

    /// <summary>Acting as evaluation did before the managed pass: the input row through <see cref="Ddpg.Act"/> (TorchSharp), one row a call.</summary>
    private sealed class TorchSharpActing(GoalConditionedAgent her, bool relativeGoals) : IGoalPolicy
    {
        private readonly float[] _row = new float[her.Learner.InputSize];

        public void Act(GoalObservation observation, Span<float> action)
        {
            int o = observation.Observation.Length;
            observation.Observation.CopyTo(_row, 0);
            observation.DesiredGoal.CopyTo(_row, o);
            if (relativeGoals) for (int i = 0; i < observation.DesiredGoal.Length; i++) _row[o + i] -= observation.AchievedGoal[i];
            her.Learner.Act(_row, action);
        }
    }
}
