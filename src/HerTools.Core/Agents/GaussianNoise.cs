using HerTools.Core.Randomness;

namespace HerTools.Core.Agents;

/// <summary>Independent N(0, sigma^2) draws per component and step; stateless apart from the generator.</summary>
public sealed class GaussianNoise : IActionNoise
{
    private readonly Rng _rng;

    public GaussianNoise(int size, double sigma, Rng rng)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        if (!(sigma >= 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "must not be negative");
        Size = size; Sigma = sigma; _rng = rng;
    }

    public int Size { get; }
    public double Sigma { get; }

    public void Reset() { }

    public void Sample(Span<float> noise)
    {
        CheckLength(noise.Length, Size);
        for (int i = 0; i < Size; i++) noise[i] = (float)(Sigma * _rng.NextNormal());
    }

    /// <summary>Writes only the size (checked on read): Gaussian noise has no state of its own.</summary>
    public void WriteState(BinaryWriter writer) => writer.Write(Size);

    public void ReadState(BinaryReader reader) => CheckSavedSize(SavedStateException.Read("noise size", reader.ReadInt32), Size);

    internal static void CheckLength(int length, int size)
    {
        if (length != size) throw new ArgumentException($"noise fills {size} values, got a span of {length}");
    }

    internal static void CheckSavedSize(int saved, int size)
    {
        if (saved != size) throw new SavedStateException("noise size", $"saved noise has {saved} components, this one has {size}");
    }
}
