using HerTools.Core.Envs;

namespace MyEnvs.Tests;

/// <summary>
/// The environment against the contract HER relies on, as <c>her-tools envs check</c> checks it: observations inside
/// their spaces, the same seed giving the same episode, a saved state continuing exactly, and every step reward equal to
/// <see cref="IGoalEnv.ComputeReward"/>, one row and batched.
/// </summary>
public class ReachEnvTests
{
    [Fact]
    public void Reach_keeps_the_goal_environment_contract()
    {
        var report = EnvChecker.Check(new ReachEnv(), episodes: 20, seed: 1);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Violations));
        Assert.True(report.Transitions > 0);
    }

    [Fact]
    public void Reach_keeps_the_contract_with_other_options()
    {
        var report = EnvChecker.Check(new ReachEnv(distanceThreshold: 0.05, maxEpisodeSteps: 10), episodes: 20, seed: 2);

        Assert.True(report.Passed, string.Join(Environment.NewLine, report.Violations));
    }

    [Fact]
    public void Reaching_the_goal_gives_reward_0_and_success()
    {
        var env = new ReachEnv(distanceThreshold: 0.15);
        var observation = env.Reset(seed: 3);
        // Walk straight at the goal: it is at most 2.6 away and each step covers up to 0.1 per axis.
        StepResult step;
        do
        {
            float dx = observation.DesiredGoal[0] - observation.AchievedGoal[0], dy = observation.DesiredGoal[1] - observation.AchievedGoal[1];
            step = env.Step([Math.Clamp(10 * dx, -1f, 1f), Math.Clamp(10 * dy, -1f, 1f)]);
            observation = step.Observation;
        } while (!step.Info.IsSuccess && !step.Truncated);

        Assert.True(step.Info.IsSuccess);
        Assert.Equal(0f, step.Reward);
    }
}
