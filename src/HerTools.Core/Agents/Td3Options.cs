namespace HerTools.Core.Agents;

/// <summary>
/// What <see cref="Td3"/> adds to the shared actor-critic settings (<see cref="LearnerOptions"/>), under Stable-Baselines3's
/// names and defaults: <c>policy_delay</c>, <c>target_policy_noise</c>, <c>target_noise_clip</c>. Noise is in the
/// networks' unit action space [-1, 1], as SB3's is in its rescaled action space.
/// </summary>
public sealed record Td3Options
{
    /// <summary>The actor and the targets move once every this many critic updates.</summary>
    public int PolicyDelay { get; init; } = 2;

    /// <summary>Standard deviation of the Gaussian noise added to the target action (target policy smoothing).</summary>
    public double TargetPolicyNoise { get; init; } = 0.2;

    /// <summary>The target noise is clipped to [-clip, clip].</summary>
    public double TargetNoiseClip { get; init; } = 0.5;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (PolicyDelay < 1) throw new ArgumentException($"PolicyDelay must be at least 1, got {PolicyDelay}", nameof(PolicyDelay));
        if (!(TargetPolicyNoise >= 0 && double.IsFinite(TargetPolicyNoise)))
            throw new ArgumentException($"TargetPolicyNoise must be finite and not negative, got {TargetPolicyNoise}", nameof(TargetPolicyNoise));
        if (!(TargetNoiseClip >= 0 && double.IsFinite(TargetNoiseClip)))
            throw new ArgumentException($"TargetNoiseClip must be finite and not negative, got {TargetNoiseClip}", nameof(TargetNoiseClip));
    }
}
