namespace HerTools.Core.Envs;

/// <summary>One dict observation. The arrays belong to the caller once returned: an environment never reuses them.</summary>
public sealed record GoalObservation(float[] Observation, float[] AchievedGoal, float[] DesiredGoal);
