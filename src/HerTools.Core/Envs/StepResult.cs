namespace HerTools.Core.Envs;

/// <summary>What <see cref="IGoalEnv.Step"/> returns; <c>terminated</c> and <c>truncated</c> are kept apart as in Gymnasium.</summary>
public readonly record struct StepResult(GoalObservation Observation, float Reward, bool Terminated, bool Truncated, StepInfo Info);
