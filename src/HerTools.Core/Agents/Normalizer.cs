namespace HerTools.Core.Agents;

/// <summary>
/// Running mean and standard deviation of a vector (one part of an input row: the observation or
/// the goal), and the normalisation <c>clip((x - mean) / std, -clipRange, clipRange)</c> of the HER
/// paper's implementation. Sums are kept in float64 so millions of updates do not lose the mean;
/// the standard deviation never falls below <c>epsilon</c>, so a constant component (a goal that
/// never moves) is not blown up. Before any data the normalisation is the identity.
/// </summary>
public sealed class Normalizer
{
    private readonly double[] _sum;
    private readonly double[] _sumOfSquares;
    private readonly float[] _mean;
    private readonly float[] _std;

    public Normalizer(int size, float clipRange = 5f, float epsilon = 0.01f)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), size, "must be positive");
        if (!(clipRange > 0)) throw new ArgumentOutOfRangeException(nameof(clipRange), clipRange, "must be positive");
        if (!(epsilon > 0)) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "must be positive");
        Size = size; ClipRange = clipRange; Epsilon = epsilon;
        _sum = new double[size];
        _sumOfSquares = new double[size];
        _mean = new float[size];
        _std = new float[size];
        RecomputeStatistics();
    }

    public int Size { get; }
    public float ClipRange { get; }
    public float Epsilon { get; }

    /// <summary>How many vectors the statistics have seen.</summary>
    public long Count { get; private set; }

    /// <summary>Current mean per component (0 before any data).</summary>
    public IReadOnlyList<float> Mean => _mean;

    /// <summary>Current standard deviation per component, at least <see cref="Epsilon"/> (1 before any data).</summary>
    public IReadOnlyList<float> Std => _std;

    /// <summary>Adds consecutive vectors of <see cref="Size"/> values to the statistics.</summary>
    public void Update(ReadOnlySpan<float> vectors) => Update(vectors, Size, 0);

    /// <summary>
    /// Adds to the statistics the columns <c>[columnOffset, columnOffset + Size)</c> of every row of
    /// <paramref name="rows"/>, rows being <paramref name="rowWidth"/> values each: the observation or the goal part of input rows.
    /// </summary>
    public void Update(ReadOnlySpan<float> rows, int rowWidth, int columnOffset)
    {
        CheckLayout(rows.Length, rowWidth, columnOffset);
        int rowCount = rows.Length / rowWidth;
        for (int r = 0; r < rowCount; r++)
        {
            var part = rows.Slice(r * rowWidth + columnOffset, Size);
            for (int i = 0; i < Size; i++)
            {
                double x = part[i];
                _sum[i] += x;
                _sumOfSquares[i] += x * x;
            }
        }
        Count += rowCount;
        RecomputeStatistics();
    }

    /// <summary>Writes the normalised <paramref name="vectors"/> (consecutive vectors of <see cref="Size"/>) to <paramref name="destination"/> of the same
    /// length.</summary>
    public void Normalize(ReadOnlySpan<float> vectors, Span<float> destination) => Normalize(vectors, destination, Size, 0);

    /// <summary>
    /// Normalises the columns <c>[columnOffset, columnOffset + Size)</c> of every row of <paramref name="rows"/>
    /// into the same columns of <paramref name="destination"/> (same layout); other columns of the destination are left alone.
    /// </summary>
    public void Normalize(ReadOnlySpan<float> rows, Span<float> destination, int rowWidth, int columnOffset)
    {
        CheckLayout(rows.Length, rowWidth, columnOffset);
        if (destination.Length != rows.Length) throw new ArgumentException($"destination has {destination.Length} values, expected {rows.Length}",
            nameof(destination));
        for (int start = columnOffset; start < rows.Length; start += rowWidth)
            for (int i = 0; i < Size; i++)
                destination[start + i] = Math.Clamp((rows[start + i] - _mean[i]) / _std[i], -ClipRange, ClipRange);
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(Count);
        TensorIo.WriteDoubles(writer, _sum);
        TensorIo.WriteDoubles(writer, _sumOfSquares);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote; <paramref name="name"/> (<c>observation normalizer</c>)
    /// names the fields of a refusal. Statistics that would turn inputs into NaN are refused.</summary>
    public void ReadState(BinaryReader reader, string name = "normalizer")
    {
        Count = SavedStateException.ReadInt64(reader, $"{name} count", 0, long.MaxValue);
        TensorIo.ReadDoubles(reader, _sum, $"{name} sums");
        TensorIo.ReadDoubles(reader, _sumOfSquares, $"{name} sums of squares");
        foreach (double v in _sumOfSquares)
            if (v < 0) throw new SavedStateException($"{name} sums of squares", $"holds {v:R}, below 0");
        RecomputeStatistics();
        for (int i = 0; i < Size; i++)
            if (!float.IsFinite(_mean[i]) || !float.IsFinite(_std[i]))
                throw new SavedStateException($"{name} sums", $"give component {i} a mean or standard deviation beyond float range");
    }

    // Var = E[x^2] - E[x]^2 in float64, floored at epsilon^2 (also absorbs a slightly negative difference from rounding).
    private void RecomputeStatistics()
    {
        for (int i = 0; i < Size; i++)
        {
            if (Count == 0) { _mean[i] = 0f; _std[i] = 1f; continue; }
            double mean = _sum[i] / Count;
            double variance = _sumOfSquares[i] / Count - mean * mean;
            _mean[i] = (float)mean;
            _std[i] = (float)Math.Sqrt(Math.Max((double)Epsilon * Epsilon, variance));
        }
    }

    private void CheckLayout(int length, int rowWidth, int columnOffset)
    {
        if (rowWidth < Size || columnOffset < 0 || columnOffset + Size > rowWidth)
            throw new ArgumentException($"columns [{columnOffset}, {columnOffset + Size}) do not fit rows of {rowWidth} values");
        if (length % rowWidth != 0) throw new ArgumentException($"expected whole rows of {rowWidth} values, got {length} values");
    }
}
