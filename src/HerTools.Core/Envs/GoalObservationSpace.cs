namespace HerTools.Core.Envs;

/// <summary>The dict observation space of a goal environment: <c>observation</c>, <c>achieved_goal</c>, <c>desired_goal</c>.</summary>
public sealed record GoalObservationSpace(Box Observation, Box AchievedGoal, Box DesiredGoal)
{
    public static readonly string[] Keys = ["observation", "achieved_goal", "desired_goal"];
}
