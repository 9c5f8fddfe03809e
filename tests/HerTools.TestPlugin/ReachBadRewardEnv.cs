using HerTools.Core.Envs;

namespace HerTools.TestPlugin;

/// <summary>Reach2DBadReward-v0: a broken environment for the checker's tests. Its ComputeReward is inverted (0 away
/// from the goal, -1 at it), so every reward HER recomputes would disagree with the one its step gave.</summary>
[GoalEnvironment("Reach2DBadReward-v0", Description = "a broken plug-in environment: ComputeReward disagrees with Step", MaxEpisodeSteps = 25)]
public sealed class ReachBadRewardEnv() : ReachEnvBase(0.1, "[-0.8, 0.8]", 25), IGoalEnv
{
    public override string Id => "Reach2DBadReward-v0";

    void IGoalEnv.ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        for (int i = 0; i < rewards.Length; i++)
        {
            float dx = achievedGoals[2 * i] - desiredGoals[2 * i], dy = achievedGoals[2 * i + 1] - desiredGoals[2 * i + 1];
            rewards[i] = MathF.Sqrt(dx * dx + dy * dy) <= DistanceThreshold ? -1f : 0f;
        }
    }
}
