namespace HerTools.Core.Sweeps;

/// <summary>How a <c>random:</c> key of a sweep is drawn.</summary>
public enum SweepDistribution
{
    /// <summary><c>{choice: [a, b, c]}</c>: one of the listed values, each equally likely.</summary>
    Choice,
    /// <summary><c>{uniform: [lo, hi]}</c>: a real number uniform in [lo, hi).</summary>
    Uniform,
    /// <summary><c>{loguniform: [lo, hi]}</c>: a real number whose logarithm is uniform; 0 &lt; lo &lt; hi.</summary>
    LogUniform,
    /// <summary><c>{int: [lo, hi]}</c>: an integer uniform in [lo, hi], both ends included.</summary>
    Int,
}
