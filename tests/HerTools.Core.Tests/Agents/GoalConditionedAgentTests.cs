using HerTools.Core.Agents;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Tests.Agents;

/// <summary>
/// How <see cref="GoalConditionedAgent"/> turns dict observations into network input rows: <c>observation ++ desired_goal</c>, or with
/// relative goals <c>observation ++ (desired_goal - achieved_goal)</c>, the same way when acting and when learning.
/// </summary>
public class GoalConditionedAgentTests
{
    private const int Observation = 3, Goal = 2, Action = 2;
    private static readonly Box Actions = new([-1f, -1f], [1f, 1f]);

    private static GoalConditionedAgent NewHer(bool relativeGoals, bool normalize = false) => new(
        new LearnerOptions { HiddenSizes = [16, 16], Seed = 5, Threads = 1, RelativeGoals = relativeGoals, Normalize = normalize },
        Observation, Goal, Actions);

    private static readonly GoalObservation Sample = new([0.5f, -0.25f, 2f], [0.75f, -1f], [1.5f, 0.5f]);

    private static float[] Act(GoalConditionedAgent her, GoalObservation observation)
    {
        var action = new float[Action];
        her.Act(observation, action);
        return action;
    }

    private static float[] ActOnRow(GoalConditionedAgent her, float[] row)
    {
        var action = new float[Action];
        her.Learner.Act(row, action);
        return action;
    }

    // Acting runs the actor's managed copy, learning runs TorchSharp: the two agree to float rounding.
    private static void AssertClose(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f, $"component {i}: {expected[i]} vs {actual[i]}");
    }

    [Fact]
    public void Acting_feeds_observation_and_desired_goal_by_default()
    {
        using var her = NewHer(relativeGoals: false);
        AssertClose(ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f, 0.5f]), Act(her, Sample));
    }

    [Fact]
    public void With_relative_goals_acting_feeds_the_goal_minus_the_achieved_goal()
    {
        using var her = NewHer(relativeGoals: true);
        float[] relative = ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f - 0.75f, 0.5f - -1f]);
        AssertClose(relative, Act(her, Sample));
        Assert.NotEqual(ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f, 0.5f]), relative);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Acting_follows_every_update_of_the_weights_and_the_normalisers(bool relativeGoals)
    {
        using var her = NewHer(relativeGoals, normalize: true);
        float[] before = Act(her, Sample);
        her.Update(RandomBatch(3));
        float[] after = Act(her, Sample);
        Assert.NotEqual(before, after);
        float[] row = relativeGoals ? [0.5f, -0.25f, 2f, 1.5f - 0.75f, 0.5f - -1f] : [0.5f, -0.25f, 2f, 1.5f, 0.5f];
        AssertClose(ActOnRow(her, row), after);
    }

    [Fact]
    public void Acting_on_a_batch_gives_each_observation_exactly_its_own_action()
    {
        using var her = NewHer(relativeGoals: true, normalize: true);
        her.Update(RandomBatch(4));
        var rng = new Rng(9);
        var observations = Enumerable.Range(0, 70).Select(_ => new GoalObservation(
            [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2)],
            [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2)], [(float)rng.Uniform(-2, 2), (float)rng.Uniform(-2, 2)])).ToList();
        var batched = new float[observations.Count * Action];
        her.Act(observations, batched);
        for (int i = 0; i < observations.Count; i++) Assert.Equal(Act(her, observations[i]), batched[(i * Action)..((i + 1) * Action)]);
    }

    private static ReplayBatch RandomBatch(ulong seed, int rows = 32)
    {
        var rng = new Rng(seed);
        var batch = new ReplayBatch(rows, Observation, Goal, Action) { Count = rows };
        foreach (var array in new[] { batch.Inputs, batch.NextInputs, batch.Actions, batch.AchievedGoals, batch.NextAchievedGoals })
            for (int i = 0; i < array.Length; i++) array[i] = (float)rng.Uniform(-1, 1);
        for (int i = 0; i < rows; i++)
        {
            batch.Rewards[i] = rng.NextInt(4) == 0 ? 0f : -1f;
            batch.NotDone[i] = 1f;
        }
        return batch;
    }

    private static void SubtractAchievedGoals(ReplayBatch batch)
    {
        for (int r = 0; r < batch.Count; r++)
            for (int i = 0; i < Goal; i++)
            {
                batch.Inputs[r * (Observation + Goal) + Observation + i] -= batch.AchievedGoals[r * Goal + i];
                batch.NextInputs[r * (Observation + Goal) + Observation + i] -= batch.NextAchievedGoals[r * Goal + i];
            }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void With_relative_goals_learning_sees_goal_minus_achieved_goal_now_and_next(bool normalize)
    {
        // One learner updated with relative goals, one with them off on batches whose goals were made relative by hand:
        // same seed, so equal actions afterwards mean equal updates (and equal normaliser statistics).
        using var relative = NewHer(relativeGoals: true, normalize);
        using var byHand = NewHer(relativeGoals: false, normalize);
        for (ulong b = 0; b < 5; b++)
        {
            var batch = RandomBatch(b);
            var transformed = RandomBatch(b);
            SubtractAchievedGoals(transformed);
            relative.Update(batch);
            byHand.Update(transformed);
            Assert.Equal(transformed.Inputs, batch.Inputs);
            Assert.Equal(transformed.NextInputs, batch.NextInputs);
        }
        float[] row = [0.5f, -0.25f, 2f, 0.75f, 1.5f];
        Assert.Equal(ActOnRow(byHand, row), ActOnRow(relative, row));
        // The updates did something: a fresh learner acts differently.
        using var fresh = NewHer(relativeGoals: false, normalize);
        Assert.NotEqual(ActOnRow(fresh, row), ActOnRow(relative, row));
    }
}
