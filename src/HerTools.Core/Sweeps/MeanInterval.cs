namespace HerTools.Core.Sweeps;

/// <summary>
/// A sample's mean and a 95% confidence interval for it, from Student's t distribution: a configuration has only a few
/// seeds, and the normal approximation would make their interval far too narrow (with 2 seeds the t quantile is 12.7,
/// not 1.96). With a single value there is no interval.
/// </summary>
/// <param name="Count">How many values.</param>
/// <param name="Mean">Their mean.</param>
/// <param name="Low">The interval's lower end; null for one value.</param>
/// <param name="High">The interval's upper end; null for one value.</param>
public sealed record MeanInterval(int Count, double Mean, double? Low, double? High)
{
    // The 0.975 quantiles of Student's t for 1 to 30 degrees of freedom.
    private static readonly double[] T975 =
    [
        12.7062047, 4.30265273, 3.18244631, 2.77644511, 2.57058184, 2.44691185, 2.36462425, 2.30600414, 2.26215716, 2.22813885,
        2.20098516, 2.17881283, 2.16036866, 2.14478669, 2.13144955, 2.11990530, 2.10981558, 2.10092204, 2.09302405, 2.08596345,
        2.07961384, 2.07387307, 2.06865761, 2.06389856, 2.05953855, 2.05552944, 2.05183052, 2.04840714, 2.04522964, 2.04227246,
    ];

    /// <summary>The mean and interval of <paramref name="values"/>; null when there are none.</summary>
    public static MeanInterval? Of(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        double mean = values.Sum() / values.Count;
        if (values.Count == 1) return new MeanInterval(1, mean, null, null);
        double variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        double half = TQuantile975(values.Count - 1) * Math.Sqrt(variance / values.Count);
        return new MeanInterval(values.Count, mean, mean - half, mean + half);
    }

    /// <summary>Student's t 0.975 quantile: the table up to 30 degrees of freedom, then the first Cornish-Fisher term
    /// about the normal's 1.96 (off by less than 0.001 from 31 on).</summary>
    public static double TQuantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= T975.Length) return T975[degreesOfFreedom - 1];
        const double z = 1.959963985;
        return z + (z * z * z + z) / (4.0 * degreesOfFreedom);
    }
}
