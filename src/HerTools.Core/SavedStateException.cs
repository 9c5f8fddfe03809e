namespace HerTools.Core;

/// <summary>
/// A saved state (learner, run position, environment, generator, replay buffer) whose field disagrees with what the
/// reader expects: a length, count, index or value out of range, or the file ending inside the field. Readers know the
/// field, not the file; the checkpoint loader turns this into a <see cref="Checkpoints.CheckpointException"/> naming both.
/// </summary>
internal sealed class SavedStateException : HerToolsException
{
    public SavedStateException(string field, string problem, Exception? inner = null) : base($"{field}: {problem}", inner)
    {
        Field = field;
        Problem = problem;
    }

    /// <summary>The field that is wrong, as a reader would name it: <c>actor parameters</c>, <c>observation</c>.</summary>
    public string Field { get; }

    /// <summary>What is wrong with it.</summary>
    public string Problem { get; }

    /// <summary>Reads a field, turning the end of the stream inside it into a refusal that names the field.</summary>
    public static T Read<T>(string field, Func<T> read)
    {
        try
        {
            return read();
        }
        catch (EndOfStreamException e)
        {
            throw new SavedStateException(field, "the file ends inside it", e);
        }
    }

    /// <summary>An int read from <paramref name="reader"/> that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static int ReadInt32(BinaryReader reader, string field, int min, int max)
    {
        int value = Read(field, reader.ReadInt32);
        if (value < min || value > max) throw new SavedStateException(field, $"{value} is outside [{min}, {max}]");
        return value;
    }

    /// <summary>A long read from <paramref name="reader"/> that must lie in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static long ReadInt64(BinaryReader reader, string field, long min, long max)
    {
        long value = Read(field, reader.ReadInt64);
        if (value < min || value > max) throw new SavedStateException(field, $"{value} is outside [{min}, {max}]");
        return value;
    }

    /// <summary>A finite double read from <paramref name="reader"/>, in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static double ReadDouble(BinaryReader reader, string field, double min = double.MinValue, double max = double.MaxValue)
    {
        double value = Read(field, reader.ReadDouble);
        if (!(value >= min && value <= max))
            throw new SavedStateException(field, double.IsFinite(value) ? $"{value:R} is outside [{min:R}, {max:R}]" : $"{value} is not a finite number");
        return value;
    }

    /// <summary>A finite float read from <paramref name="reader"/>, in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static float ReadSingle(BinaryReader reader, string field, float min = float.MinValue, float max = float.MaxValue)
    {
        float value = Read(field, reader.ReadSingle);
        if (!(value >= min && value <= max))
            throw new SavedStateException(field, float.IsFinite(value) ? $"{value:R} is outside [{min:R}, {max:R}]" : $"{value} is not a finite number");
        return value;
    }

    /// <summary>A boolean byte: 0 or 1, nothing else (a flipped bit is not "true").</summary>
    public static bool ReadBoolean(BinaryReader reader, string field)
    {
        byte value = Read(field, reader.ReadByte);
        if (value > 1) throw new SavedStateException(field, $"{value} is not a boolean (0 or 1)");
        return value == 1;
    }

    /// <summary>Throws unless every value is finite.</summary>
    public static void CheckFinite(ReadOnlySpan<float> values, string field)
    {
        foreach (float v in values)
            if (!float.IsFinite(v)) throw new SavedStateException(field, $"holds {v}, not a finite number");
    }
}
