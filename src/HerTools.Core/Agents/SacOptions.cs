using System.Globalization;

namespace HerTools.Core.Agents;

/// <summary>
/// What <see cref="Sac"/> adds to the shared actor-critic settings (<see cref="DdpgOptions"/>), with Stable-Baselines3's
/// meanings: <c>ent_coef</c> (<c>auto</c>: tuned, starting at 1; <c>auto_0.1</c>: tuned, starting at 0.1; a number: fixed)
/// and <c>target_entropy</c> (<c>auto</c>: -dim(action)).
/// </summary>
public sealed record SacOptions
{
    /// <summary>Tune the entropy coefficient towards <see cref="TargetEntropy"/> (SB3's <c>ent_coef: auto</c>).</summary>
    public bool AutoEntropyCoef { get; init; } = true;

    /// <summary>The coefficient's start when tuned, its value when fixed.</summary>
    public double EntCoef { get; init; } = 1.0;

    /// <summary>The entropy the tuning aims for; null means -dim(action) (SB3's <c>auto</c>).</summary>
    public double? TargetEntropy { get; init; }

    /// <summary>Reads SB3's <c>ent_coef</c> forms: <c>auto</c>, <c>auto_&lt;start&gt;</c> or a positive number.</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static SacOptions WithEntCoef(SacOptions options, string entCoef)
    {
        string text = entCoef.Trim();
        if (text == "auto") return options with { AutoEntropyCoef = true, EntCoef = 1.0 };
        if (text.StartsWith("auto_", StringComparison.Ordinal) && PositiveNumber(text["auto_".Length..]) is double start)
            return options with { AutoEntropyCoef = true, EntCoef = start };
        if (PositiveNumber(text) is double fixedValue) return options with { AutoEntropyCoef = false, EntCoef = fixedValue };
        throw new ArgumentException($"ent_coef must be 'auto', 'auto_<start>' (e.g. auto_0.1) or a positive number, got '{entCoef}'", nameof(entCoef));
    }

    /// <summary>Reads SB3's <c>target_entropy</c> forms: <c>auto</c> or a number.</summary>
    public static SacOptions WithTargetEntropy(SacOptions options, string targetEntropy)
    {
        string text = targetEntropy.Trim();
        if (text == "auto") return options with { TargetEntropy = null };
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value))
            return options with { TargetEntropy = value };
        throw new ArgumentException($"target_entropy must be 'auto' or a number, got '{targetEntropy}'", nameof(targetEntropy));
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (!(EntCoef > 0 && double.IsFinite(EntCoef))) throw new ArgumentException($"EntCoef must be positive and finite, got {EntCoef}", nameof(EntCoef));
        if (TargetEntropy is double t && !double.IsFinite(t)) throw new ArgumentException($"TargetEntropy must be finite, got {t}", nameof(TargetEntropy));
    }

    private static double? PositiveNumber(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value > 0 && double.IsFinite(value) ? value : null;
}
