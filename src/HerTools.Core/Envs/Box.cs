namespace HerTools.Core.Envs;

/// <summary>A box space: a float32 vector with per-element bounds (Gymnasium's <c>Box</c>, one-dimensional shape).</summary>
public sealed class Box
{
    public Box(float[] low, float[] high)
    {
        if (low.Length != high.Length) throw new ArgumentException("low and high must have the same length");
        Low = low; High = high;
    }

    public static Box Uniform(float low, float high, int size) =>
        new(Enumerable.Repeat(low, size).ToArray(), Enumerable.Repeat(high, size).ToArray());

    public float[] Low { get; }
    public float[] High { get; }
    public int Size => Low.Length;
    public int[] Shape => [Low.Length];

    public bool Contains(ReadOnlySpan<float> x)
    {
        if (x.Length != Size) return false;
        for (int i = 0; i < x.Length; i++) if (!(x[i] >= Low[i] && x[i] <= High[i])) return false;
        return true;
    }

    public override string ToString() => $"Box({Low.Min()}, {High.Max()}, ({Size},))";
}
