using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>Raw float32 contents of contiguous CPU tensors to and from a binary stream, length-prefixed, bit-exact.
/// Reading checks the length against the tensor it fills, so a length in a file never sizes anything.</summary>
internal static class TensorIo
{
    /// <summary>The value of a one-element float32 CPU tensor, read in place (item&lt;T&gt;() builds an accessor and a pinned stride array per call).</summary>
    public static float ReadScalar(Tensor scalar) => MemoryMarshal.Cast<byte, float>(scalar.bytes)[0];

    public static void WriteFloats(BinaryWriter writer, Tensor tensor)
    {
        writer.Write(tensor.NumberOfElements);
        writer.Write(tensor.bytes);
    }

    /// <summary>Reads into <paramref name="tensor"/> in place; a length that does not match, a file that ends early or a
    /// value that is not finite (no training saves one) is refused naming <paramref name="what"/>.</summary>
    public static void ReadFloats(BinaryReader reader, Tensor tensor, string what)
    {
        long count = SavedStateException.Read(what, reader.ReadInt64);
        if (count != tensor.NumberOfElements)
            throw new SavedStateException(what,
                $"has {count} values, this learner's has {tensor.NumberOfElements}: the state was saved from differently sized networks");
        var bytes = tensor.bytes; // the tensor's own storage: read in place
        ReadExactly(reader, bytes, what);
        SavedStateException.CheckFinite(MemoryMarshal.Cast<byte, float>(bytes), what);
    }

    public static void WriteDoubles(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void ReadDoubles(BinaryReader reader, Span<double> values, string what)
    {
        int count = SavedStateException.Read(what, reader.ReadInt32);
        if (count != values.Length)
            throw new SavedStateException(what, $"has {count} values, this learner's has {values.Length}");
        ReadExactly(reader, MemoryMarshal.AsBytes(values), what);
        foreach (double v in values)
            if (!double.IsFinite(v)) throw new SavedStateException(what, $"holds {v}, not a finite number");
    }

    private static void ReadExactly(BinaryReader reader, Span<byte> bytes, string what)
    {
        while (bytes.Length > 0)
        {
            int read = reader.Read(bytes);
            if (read == 0) throw new SavedStateException(what, "the file ends inside it");
            bytes = bytes[read..];
        }
    }
}
