namespace HerTools.Core.Envs;

/// <summary>The info record of a step: <c>is_success</c> is 1 when the goal is reached after the step.</summary>
public readonly record struct StepInfo(bool IsSuccess);
