using System.Runtime.InteropServices;
using System.Text;

namespace HerTools.Policy;

/// <summary>
/// The policy file (<c>.htp</c>) that <c>her-tools export</c> writes: little-endian binary, every size bounded
/// and checked against the data that follows, so a damaged or hostile file fails with a
/// <see cref="PolicyFormatException"/> before anything large is allocated.
/// <code>
/// "HTPOLICY" (8 bytes), int32 version (1)
/// string algorithm, string environment id           (BinaryWriter strings: 7-bit length, UTF-8)
/// int32 observation size, goal size, action size
/// int32 hidden layer count, int32 width per hidden layer, string activation (a config name: relu, tanh, ...)
/// bool relative goals
/// bool normalised; if so: float32 clip range, float32[obs] mean, std, float32[goal] mean, std
/// float32[action] center, float32[action] half range
/// int64 parameter count, float32[count] weights and biases (per layer: weight row-major [out, in], then bias)
/// </code>
/// </summary>
public static class PolicyFile
{
    /// <summary>The file name extension <c>her-tools export</c> uses.</summary>
    public const string Extension = ".htp";

    private static readonly byte[] Magic = "HTPOLICY"u8.ToArray();
    private const int Version = 1;
    private const int MaxStringBytes = 4096;

    public static void Write(PolicyModel model, string path)
    {
        using var stream = File.Create(path);
        Write(model, stream);
    }

    public static void Write(PolicyModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(Version);
        w.Write(model.Algorithm);
        w.Write(model.EnvironmentId);
        w.Write(model.ObservationSize); w.Write(model.GoalSize); w.Write(model.ActionSize);
        w.Write(model.HiddenSizes.Count);
        foreach (int width in model.HiddenSizes) w.Write(width);
        w.Write(Activations.NameOf(model.Activation));
        w.Write(model.RelativeGoals);
        w.Write(model.Normalization is not null);
        if (model.Normalization is { } n)
        {
            w.Write(n.ClipRange);
            WriteFloats(w, n.ObservationMean); WriteFloats(w, n.ObservationStd);
            WriteFloats(w, n.GoalMean); WriteFloats(w, n.GoalStd);
        }
        WriteFloats(w, model.ActionCenter);
        WriteFloats(w, model.ActionHalfRange);
        w.Write((long)model.Parameters.Length);
        WriteFloats(w, model.Parameters);
    }

    /// <summary>Reads a policy file; a file that is not one, or is cut or damaged, throws <see cref="PolicyFormatException"/> naming the path.</summary>
    public static PolicyModel Read(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        // Its length bounds every read: a pipe or device has none, so only regular files are policy files.
        if (!stream.CanSeek) throw new PolicyFormatException($"{path} is not a regular file");
        try { return Read(stream); }
        catch (PolicyFormatException e) { throw new PolicyFormatException($"{path}: {e.Message}", e); }
    }

    /// <summary>Reads a policy from <paramref name="stream"/>, which must hold exactly one policy file from its current position.</summary>
    public static PolicyModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = r.ReadBytes(Magic.Length);
            if (!magic.AsSpan().SequenceEqual(Magic)) throw new PolicyFormatException("not a HerTools policy file (no HTPOLICY header)");
            int version = r.ReadInt32();
            if (version != Version) throw new PolicyFormatException($"policy file version {version} is not supported (this library reads {Version})");
            string algorithm = ReadString(r, "algorithm");
            string environmentId = ReadString(r, "environment id");
            int observationSize = ReadWidth(r, "observation size");
            int goalSize = ReadWidth(r, "goal size");
            int actionSize = ReadWidth(r, "action size");
            int hiddenCount = r.ReadInt32();
            if (hiddenCount is < 1 or > PolicyModel.MaxHiddenLayers) throw new PolicyFormatException($"hidden layer count {hiddenCount} is outside " +
                $"1..{PolicyModel.MaxHiddenLayers}");
            var hidden = new int[hiddenCount];
            for (int i = 0; i < hiddenCount; i++) hidden[i] = ReadWidth(r, "hidden layer width");
            string activationName = ReadString(r, "activation");
            if (!Activations.TryParse(activationName,
                out var activation)) throw new PolicyFormatException($"activation '{activationName}' is not one this library computes");
            bool relativeGoals = r.ReadBoolean();
            InputNormalization? normalization = null;
            if (r.ReadBoolean())
            {
                float clip = r.ReadSingle();
                normalization = new InputNormalization(ReadFloats(r, observationSize, "observation mean"), ReadFloats(r, observationSize, "observation std"),
                    ReadFloats(r, goalSize, "goal mean"), ReadFloats(r, goalSize, "goal std"), clip);
            }
            var center = ReadFloats(r, actionSize, "action center");
            var halfRange = ReadFloats(r, actionSize, "action half range");
            long count = r.ReadInt64();
            long expected = ExpectedParameterCount(observationSize + goalSize, hidden, actionSize);
            if (count != expected) throw new PolicyFormatException($"the file holds {count} weights and biases; its layer sizes need {expected}");
            if (expected > PolicyModel.MaxParameterCount) throw new PolicyFormatException($"the networks have {expected} parameters; at most " +
                $"{PolicyModel.MaxParameterCount} are supported");
            var parameters = ReadFloats(r, (int)expected, "weights and biases");
            if (stream.CanSeek ? stream.Position != stream.Length : stream.ReadByte() != -1)
                throw new PolicyFormatException("the file goes on after the policy's last weight");
            return new PolicyModel(observationSize, goalSize, actionSize, hidden, activation, parameters, center, halfRange, relativeGoals, normalization,
                algorithm, environmentId);
        }
        catch (EndOfStreamException e)
        {
            throw new PolicyFormatException("the file ends before the policy does (cut short?)", e);
        }
    }

    private static long ExpectedParameterCount(int inputSize, int[] hidden, int actionSize)
    {
        int[] widths = [inputSize, .. hidden, actionSize];
        long count = 0;
        for (int i = 0; i + 1 < widths.Length; i++) count += (long)widths[i + 1] * widths[i] + widths[i + 1];
        return count;
    }

    private static int ReadWidth(BinaryReader r, string what)
    {
        int width = r.ReadInt32();
        if (width is < 1 or > PolicyModel.MaxWidth) throw new PolicyFormatException($"{what} {width} is outside 1..{PolicyModel.MaxWidth}");
        return width;
    }

    private static string ReadString(BinaryReader r, string what)
    {
        // BinaryReader.ReadString trusts the length prefix; read it ourselves so a huge one is refused first.
        int length = r.Read7BitEncodedInt();
        if (length is < 0 or > MaxStringBytes) throw new PolicyFormatException($"the {what} is {length} bytes long; at most {MaxStringBytes} are allowed");
        var bytes = r.ReadBytes(length);
        if (bytes.Length != length) throw new EndOfStreamException();
        return Encoding.UTF8.GetString(bytes);
    }

    private static void WriteFloats(BinaryWriter w, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("policy files are little-endian");
        w.Write(MemoryMarshal.AsBytes(values));
    }

    private static float[] ReadFloats(BinaryReader r, int count, string what)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("policy files are little-endian");
        var stream = r.BaseStream;
        if (stream.CanSeek && stream.Length - stream.Position < (long)count * sizeof(float))
            throw new PolicyFormatException($"the file ends inside the {what} ({count} values expected)");
        var values = new float[count];
        var bytes = MemoryMarshal.AsBytes(values.AsSpan());
        while (bytes.Length > 0)
        {
            int read = r.Read(bytes);
            if (read == 0) throw new PolicyFormatException($"the file ends inside the {what} ({count} values expected)");
            bytes = bytes[read..];
        }
        return values;
    }
}
