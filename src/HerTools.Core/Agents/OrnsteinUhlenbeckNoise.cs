using HerTools.Core.Randomness;

namespace HerTools.Core.Agents;

/// <summary>
/// Temporally correlated noise, the original DDPG paper's choice, discretised as Stable-Baselines3 does:
/// <c>x &lt;- x + theta * (mean - x) * dt + sigma * sqrt(dt) * N(0, 1)</c>, one draw per component and step,
/// <c>x</c> back to its initial value at <see cref="Reset"/>. The sample is the new <c>x</c>.
/// </summary>
public sealed class OrnsteinUhlenbeckNoise : IActionNoise
{
    private readonly Rng _rng;
    private readonly double[] _initial;
    private readonly double[] _x;

    public OrnsteinUhlenbeckNoise(int size, double sigma, Rng rng, double theta = 0.15, double dt = 1e-2, double mean = 0, double[]? initial = null)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        if (!(sigma >= 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must not be negative");
        if (!(theta >= 0)) throw new ArgumentOutOfRangeException(nameof(theta), theta, "must not be negative");
        if (!(dt > 0)) throw new ArgumentOutOfRangeException(nameof(dt), dt, "must be positive");
        if (initial is not null && initial.Length != size) throw new ArgumentException($"initial has {initial.Length} values, expected {size}",
            nameof(initial));
        Size = size; Sigma = sigma; Theta = theta; Dt = dt; Mean = mean; _rng = rng;
        _initial = initial is null ? new double[size] : (double[])initial.Clone();
        _x = (double[])_initial.Clone();
    }

    public int Size { get; }
    public double Sigma { get; }
    /// <summary>Rate of reversion to <see cref="Mean"/>.</summary>
    public double Theta { get; }
    public double Dt { get; }
    public double Mean { get; }

    /// <summary>The current process value.</summary>
    public IReadOnlyList<double> Value => _x;

    public void Reset() => _initial.CopyTo(_x, 0);

    public void Sample(Span<float> noise)
    {
        GaussianNoise.CheckLength(noise.Length, Size);
        double diffusion = Sigma * Math.Sqrt(Dt);
        for (int i = 0; i < Size; i++)
        {
            _x[i] += Theta * (Mean - _x[i]) * Dt + diffusion * _rng.NextNormal();
            noise[i] = (float)_x[i];
        }
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Size);
        foreach (double x in _x) writer.Write(x);
    }

    public void ReadState(BinaryReader reader)
    {
        GaussianNoise.CheckSavedSize(SavedStateException.Read("noise size", reader.ReadInt32), Size);
        // The process value stays within a few sigma; a huge one would only saturate every action, a NaN poison them.
        for (int i = 0; i < Size; i++) _x[i] = SavedStateException.ReadDouble(reader, "noise value", -1e6, 1e6);
    }
}
