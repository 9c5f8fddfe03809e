namespace HerTools.Core.Agents;

/// <summary>A deterministic goal-conditioned policy: input row <c>observation ++ desired_goal</c> in, action out.</summary>
public interface IGoalPolicy
{
    void Act(ReadOnlySpan<float> observationAndGoal, Span<float> action);
}
