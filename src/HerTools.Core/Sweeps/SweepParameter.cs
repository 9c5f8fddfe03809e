using System.Globalization;
using HerTools.Core.Randomness;

namespace HerTools.Core.Sweeps;

/// <summary>One key of a sweep's <c>random:</c> search with its distribution.</summary>
/// <param name="Key">The dotted config key.</param>
/// <param name="Distribution">How values are drawn.</param>
/// <param name="Choices">The values of a <see cref="SweepDistribution.Choice"/> as YAML text; empty otherwise.</param>
/// <param name="Low">Lower bound of the numeric distributions (included).</param>
/// <param name="High">Upper bound of the numeric distributions (included for <see cref="SweepDistribution.Int"/>).</param>
public sealed record SweepParameter(string Key, SweepDistribution Distribution, IReadOnlyList<string> Choices, double Low, double High)
{
    /// <summary>Draws one value as YAML text. Each distribution takes a fixed number of draws from
    /// <paramref name="rng"/> (one, or a few for a rejected integer), so samples depend only on the seed and the file.</summary>
    public string Sample(Rng rng)
    {
        switch (Distribution)
        {
            case SweepDistribution.Choice:
                return Choices[rng.NextInt(Choices.Count)];
            case SweepDistribution.Uniform:
                return Format(Math.Min(rng.Uniform(Low, High), High));
            case SweepDistribution.LogUniform:
                // exp(log) can land a rounding step outside the bounds; the bounds are a promise.
                return Format(Math.Clamp(Math.Exp(rng.Uniform(Math.Log(Low), Math.Log(High))), Low, High));
            case SweepDistribution.Int:
                long low = (long)Low, high = (long)High;
                return (low + rng.NextInt((int)(high - low + 1))).ToString(CultureInfo.InvariantCulture);
            default:
                throw new InvalidOperationException($"unknown distribution {Distribution}");
        }
    }

    /// <summary>The parameter as the sweep file writes it: <c>{loguniform: [0.0001, 0.01]}</c>.</summary>
    public string ToYaml() => Distribution switch
    {
        SweepDistribution.Choice => "{choice: [" + string.Join(", ", Choices) + "]}",
        SweepDistribution.Uniform => $"{{uniform: [{Format(Low)}, {Format(High)}]}}",
        SweepDistribution.LogUniform => $"{{loguniform: [{Format(Low)}, {Format(High)}]}}",
        _ => $"{{int: [{(long)Low}, {(long)High}]}}",
    };

    private static string Format(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        // A whole number keeps a decimal point so that it still reads as a real number.
        return text.Contains('.') || text.Contains('E') || text.Contains("Infinity") || text.Contains("NaN") ? text : text + ".0";
    }
}
