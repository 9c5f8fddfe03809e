using System.Numerics;

namespace HerTools.Core.Randomness;

/// <summary>
/// A small, fast generator (xoshiro256**) whose whole state can be saved and restored, so a
/// resumed run draws exactly the numbers the uninterrupted run would have drawn.
/// <see cref="System.Random"/> cannot do that, which is why the engine never uses it.
/// Each consumer (environment, exploration noise, buffer sampling, network init) owns its own.
/// </summary>
public sealed class Rng
{
    private ulong _s0, _s1, _s2, _s3;
    // Box-Muller yields normals in pairs; the spare is part of the state.
    private bool _hasSpareNormal;
    private double _spareNormal;

    public Rng(ulong seed) => Reseed(seed);

    /// <summary>Derives an independent stream for a named purpose from a run seed.</summary>
    public static Rng ForStream(ulong runSeed, string purpose)
    {
        ulong h = 14695981039346656037UL;
        foreach (char c in purpose) { h ^= c; h *= 1099511628211UL; }
        return new Rng(runSeed ^ h);
    }

    public void Reseed(ulong seed)
    {
        ulong x = seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
        _hasSpareNormal = false; _spareNormal = 0;
    }

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [low, high).</summary>
    public double Uniform(double low, double high) => low + (high - low) * NextDouble();

    /// <summary>Uniform integer in [0, n) without modulo bias (Lemire's method).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), n, "must be positive");
        ulong m = (ulong)(uint)NextUInt64() * (ulong)n;
        uint low = (uint)m;
        if (low < (uint)n)
        {
            uint threshold = (uint)(-n) % (uint)n;
            while (low < threshold)
            {
                m = (ulong)(uint)NextUInt64() * (ulong)n;
                low = (uint)m;
            }
        }
        return (int)(m >> 32);
    }

    /// <summary>Standard normal draw (Box-Muller, the second value kept for the next call).</summary>
    public double NextNormal()
    {
        if (_hasSpareNormal) { _hasSpareNormal = false; return _spareNormal; }
        double u1;
        do { u1 = NextDouble(); } while (u1 <= double.Epsilon);
        double u2 = NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spareNormal = r * Math.Sin(2 * Math.PI * u2);
        _hasSpareNormal = true;
        return r * Math.Cos(2 * Math.PI * u2);
    }

    public bool NextBool() => (NextUInt64() >> 63) != 0;

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_s0); writer.Write(_s1); writer.Write(_s2); writer.Write(_s3);
        writer.Write(_hasSpareNormal); writer.Write(_spareNormal);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote. The all-zero state is refused: xoshiro never leaves it,
    /// every draw would be 0, and a bounded draw would retry forever. <paramref name="name"/> names the fields.</summary>
    public void ReadState(BinaryReader reader, string name = "generator")
    {
        ulong s0 = SavedStateException.Read($"{name} state", reader.ReadUInt64), s1 = SavedStateException.Read($"{name} state", reader.ReadUInt64);
        ulong s2 = SavedStateException.Read($"{name} state", reader.ReadUInt64), s3 = SavedStateException.Read($"{name} state", reader.ReadUInt64);
        if ((s0 | s1 | s2 | s3) == 0) throw new SavedStateException($"{name} state", "is all zero, which xoshiro256** never reaches");
        bool hasSpare = SavedStateException.ReadBoolean(reader, $"{name} spare normal flag");
        // A standard normal draw; Box-Muller gives at most about 8.6 in magnitude from a 53-bit uniform.
        double spare = SavedStateException.ReadDouble(reader, $"{name} spare normal", -64, 64);
        _s0 = s0; _s1 = s1; _s2 = s2; _s3 = s3;
        _hasSpareNormal = hasSpare; _spareNormal = spare;
    }
}
