namespace HerTools.Policy;

/// <summary>
/// The running-statistics normalisation a policy was trained with, frozen at export:
/// each input component becomes <c>clamp((x - mean) / std, -ClipRange, ClipRange)</c>, the observation part
/// with the observation statistics and the goal part (after the relative-goal subtraction, if any) with the goal statistics.
/// </summary>
/// <param name="ObservationMean">Mean per observation component.</param>
/// <param name="ObservationStd">Standard deviation per observation component (positive).</param>
/// <param name="GoalMean">Mean per goal component.</param>
/// <param name="GoalStd">Standard deviation per goal component (positive).</param>
/// <param name="ClipRange">Normalised values are clipped to [-ClipRange, ClipRange].</param>
public sealed record InputNormalization(float[] ObservationMean, float[] ObservationStd, float[] GoalMean, float[] GoalStd, float ClipRange);
