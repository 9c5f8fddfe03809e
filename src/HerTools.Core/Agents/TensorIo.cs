using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>Raw float32 contents of contiguous CPU tensors to and from a binary stream, length-prefixed, bit-exact.</summary>
internal static class TensorIo
{
    /// <summary>The value of a one-element float32 CPU tensor, read in place (item&lt;T&gt;() builds an accessor and a pinned stride array per call).</summary>
    public static float ReadScalar(Tensor scalar) => MemoryMarshal.Cast<byte, float>(scalar.bytes)[0];

    public static void WriteFloats(BinaryWriter writer, Tensor tensor)
    {
        writer.Write(tensor.NumberOfElements);
        writer.Write(tensor.bytes);
    }

    /// <summary>Reads into <paramref name="tensor"/> in place; a length that does not match names <paramref name="what"/>.</summary>
    public static void ReadFloats(BinaryReader reader, Tensor tensor, string what)
    {
        long count = reader.ReadInt64();
        if (count != tensor.NumberOfElements)
            throw new HerToolsException($"saved {what} has {count} values, this learner's has {tensor.NumberOfElements}: the state was saved from differently sized networks");
        var bytes = tensor.bytes;
        while (bytes.Length > 0)
        {
            int read = reader.Read(bytes);
            if (read == 0) throw new EndOfStreamException($"the stream ended inside the saved {what}");
            bytes = bytes[read..];
        }
    }

    public static void WriteDoubles(BinaryWriter writer, ReadOnlySpan<double> values)
    {
        writer.Write(values.Length);
        writer.Write(MemoryMarshal.AsBytes(values));
    }

    public static void ReadDoubles(BinaryReader reader, Span<double> values, string what)
    {
        int count = reader.ReadInt32();
        if (count != values.Length)
            throw new HerToolsException($"saved {what} has {count} values, this learner's has {values.Length}");
        var bytes = MemoryMarshal.AsBytes(values);
        while (bytes.Length > 0)
        {
            int read = reader.Read(bytes);
            if (read == 0) throw new EndOfStreamException($"the stream ended inside the saved {what}");
            bytes = bytes[read..];
        }
    }
}
