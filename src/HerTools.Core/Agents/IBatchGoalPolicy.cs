using HerTools.Core.Envs;

namespace HerTools.Core.Agents;

/// <summary>A deterministic goal-conditioned policy that acts on many dict observations in one pass, each row's
/// action being exactly the one <see cref="IGoalPolicy.Act"/> gives for it alone.</summary>
public interface IBatchGoalPolicy : IGoalPolicy
{
    /// <summary>Writes the action for observation i into row i of <paramref name="actions"/> (rows of the action size).</summary>
    void Act(IReadOnlyList<GoalObservation> observations, Span<float> actions);
}
