using HerTools.Core.Agents;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Tests.Agents;

/// <summary>
/// How <see cref="Her"/> turns dict observations into network input rows: <c>observation ++ desired_goal</c>, or with
/// relative goals <c>observation ++ (desired_goal - achieved_goal)</c>, the same way when acting and when learning.
/// </summary>
public class HerTests
{
    private const int Observation = 3, Goal = 2, Action = 2;
    private static readonly Box Actions = new([-1f, -1f], [1f, 1f]);

    private static Her NewHer(bool relativeGoals, bool normalize = false) => new(
        new DdpgOptions { HiddenSizes = [16, 16], Seed = 5, Threads = 1, RelativeGoals = relativeGoals, Normalize = normalize },
        Observation, Goal, Actions);

    private static readonly GoalObservation Sample = new([0.5f, -0.25f, 2f], [0.75f, -1f], [1.5f, 0.5f]);

    private static float[] Act(Her her, GoalObservation observation)
    {
        var action = new float[Action];
        her.Act(observation, action);
        return action;
    }

    private static float[] ActOnRow(Her her, float[] row)
    {
        var action = new float[Action];
        her.Learner.Act(row, action);
        return action;
    }

    [Fact]
    public void Acting_feeds_observation_and_desired_goal_by_default()
    {
        using var her = NewHer(relativeGoals: false);
        Assert.Equal(ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f, 0.5f]), Act(her, Sample));
    }

    [Fact]
    public void With_relative_goals_acting_feeds_the_goal_minus_the_achieved_goal()
    {
        using var her = NewHer(relativeGoals: true);
        float[] relative = ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f - 0.75f, 0.5f - -1f]);
        Assert.Equal(relative, Act(her, Sample));
        Assert.NotEqual(ActOnRow(her, [0.5f, -0.25f, 2f, 1.5f, 0.5f]), relative);
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
