using HerTools.Core.Envs;

namespace HerTools.Core.Agents;

/// <summary>A deterministic goal-conditioned policy: a dict observation in, an action out.</summary>
public interface IGoalPolicy
{
    void Act(GoalObservation observation, Span<float> action);
}
