namespace HerTools.Core.Agents;

/// <summary>
/// What <see cref="Sac"/> adds to the shared actor-critic settings (<see cref="LearnerOptions"/>), with Stable-Baselines3's
/// meanings: <c>ent_coef</c> (<c>auto</c>: tuned, starting at 1; <c>auto_0.1</c>: tuned, starting at 0.1; a number: fixed)
/// and <c>target_entropy</c> (<c>auto</c>: -dim(action)); the config's <c>sac:</c> section reads those forms.
/// </summary>
public sealed record SacOptions
{
    /// <summary>Tune the entropy coefficient towards <see cref="TargetEntropy"/> (SB3's <c>ent_coef: auto</c>).</summary>
    public bool AutoEntropyCoef { get; init; } = true;

    /// <summary>The coefficient's start when tuned, its value when fixed.</summary>
    public double EntCoef { get; init; } = 1.0;

    /// <summary>The entropy the tuning aims for; null means -dim(action) (SB3's <c>auto</c>).</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (!(EntCoef > 0 && double.IsFinite(EntCoef))) throw new ArgumentException($"EntCoef must be positive and finite, got {EntCoef}", nameof(EntCoef));
        if (TargetEntropy is double t && !double.IsFinite(t)) throw new ArgumentException($"TargetEntropy must be finite, got {t}", nameof(TargetEntropy));
    }
}
