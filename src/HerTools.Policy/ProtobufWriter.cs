using System.Runtime.InteropServices;
using System.Text;

namespace HerTools.Policy;

/// <summary>
/// The few protocol buffer encodings an ONNX model needs (varints, length-delimited strings, bytes and nested
/// messages), written by hand so the library depends on no protobuf runtime. A nested message is built in its own
/// writer and added with <see cref="Message"/>, which prefixes its length.
/// </summary>
internal sealed class ProtobufWriter
{
    private const int VarintType = 0, Fixed32Type = 5, LengthDelimitedType = 2;
    private readonly MemoryStream _buffer = new();

    public ProtobufWriter Int64(int field, long value)
    {
        Tag(field, VarintType);
        Varint((ulong)value);
        return this;
    }

    public ProtobufWriter Float(int field, float value)
    {
        Tag(field, Fixed32Type);
        Span<byte> bytes = stackalloc byte[4];
        BitConverter.TryWriteBytes(bytes, value);
        if (!BitConverter.IsLittleEndian) bytes.Reverse();
        _buffer.Write(bytes);
        return this;
    }

    public ProtobufWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtobufWriter Floats(int field, ReadOnlySpan<float> values)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("ONNX raw tensor data is little-endian");
        return Bytes(field, MemoryMarshal.AsBytes(values));
    }

    public ProtobufWriter Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimitedType);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtobufWriter Message(int field, ProtobufWriter message) => Bytes(field, message.ToArray());

    public byte[] ToArray() => _buffer.ToArray();

    private void Tag(int field, int wireType) => Varint((ulong)((field << 3) | wireType));

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        _buffer.WriteByte((byte)value);
    }
}
