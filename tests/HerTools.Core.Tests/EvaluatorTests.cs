using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>Batched evaluation against the one-at-a-time protocol it must reproduce.</summary>
public class EvaluatorTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-evaluator-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // Ending on success: episodes of different lengths, so a batch's environments finish at different steps.
    private static IGoalEnv[] PointGoals(int count) => Enumerable.Range(0, count).Select(_ => (IGoalEnv)new PointGoalEnv(terminateOnSuccess: true)).ToArray();

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(60)]
    public void Batched_and_sequential_evaluation_agree_episode_by_episode(int environments)
    {
        // A partly trained policy: some episodes succeed early, some run to the time limit, so the batch's
        // environments finish at different steps and take new episodes while others still run.
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "total_timesteps=400", "eval.n_eval_episodes=10", "eval.eval_freq=0"]);
        var run = HerTrainer.TrainHer(config, Path.Combine(_root, "run"));
        using var loaded = RunCheckpoint.LoadPolicy(run.LastCheckpointPath!, threads: 1);

        var sequential = Evaluator.Evaluate(loaded.Policy, PointGoals(1)[0], 60, firstSeed: 4000);
        var batched = Evaluator.EvaluateBatched(loaded.Policy, PointGoals(environments), 60, firstSeed: 4000);

        Assert.Equal(sequential.Episodes, batched.Episodes);
        Assert.Equal(sequential.SuccessRate, batched.SuccessRate);
        Assert.Equal(sequential.MeanReturn, batched.MeanReturn);
        Assert.Equal(sequential.MeanFinalDistance, batched.MeanFinalDistance);
        Assert.Equal(Enumerable.Range(0, 60).Select(i => 4000UL + (ulong)i), batched.Episodes.Select(e => e.Seed));
        Assert.Contains(batched.Episodes, e => e.Success);
        Assert.Contains(batched.Episodes, e => !e.Success);
        Assert.True(batched.Episodes.Select(e => e.Length).Distinct().Count() > 1, "every episode had the same length");
    }

    [Fact]
    public void Evaluating_a_checkpoint_gives_the_records_of_the_sequential_protocol()
    {
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "total_timesteps=400", "eval.n_eval_episodes=10"]);
        var run = HerTrainer.TrainHer(config, Path.Combine(_root, "checkpoint"));
        using var loaded = RunCheckpoint.LoadPolicy(run.LastCheckpointPath!, threads: 1);

        var viaCheckpoint = Evaluator.EvaluateCheckpoint(run.LastCheckpointPath!, episodes: 25, seed: 31);
        var sequential = Evaluator.Evaluate(loaded.Policy, EnvRegistry.Make("PointGoal-v0"), 25, firstSeed: 31);

        Assert.Equal(sequential.Episodes, viaCheckpoint.Episodes);
    }

    [Fact]
    public void A_batched_evaluation_needs_an_environment_and_an_episode()
    {
        using var her = new GoalConditionedAgent(new LearnerOptions { HiddenSizes = [8], Threads = 1 }, 2, 2, new Box([-1f, -1f], [1f, 1f]));
        Assert.Throws<ArgumentException>(() => Evaluator.EvaluateBatched(her, [], 5, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Evaluator.EvaluateBatched(her, PointGoals(2), 0, 0));
    }
}
