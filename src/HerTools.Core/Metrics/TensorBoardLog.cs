using System.Buffers.Binary;
using System.Text;

namespace HerTools.Core.Metrics;

/// <summary>
/// Appends scalars to a TensorBoard event file (<c>events.out.tfevents.*</c>) beside a run's CSV logs, so
/// <c>tensorboard --logdir</c> shows runs and sweeps while they train. The format is TensorBoard's own: TFRecord framing
/// (the record's length, a masked CRC-32C of the length, the record, a masked CRC-32C of the record) around
/// <c>Event</c> protocol buffers, the first carrying the file version and each later one a <c>Summary</c> of
/// <c>simple_value</c> scalars at a step. Written by hand (about sixty lines) rather than through a library: the CSVs stay
/// the source of truth, and this copy of them needs nothing TorchSharp or TensorFlow would bring along.
/// Each training session opens a file of its own, so a resumed run adds a file; TensorBoard reads a folder's files together.
/// </summary>
public sealed class TensorBoardLog : IDisposable
{
    private readonly FileStream _stream;

    /// <summary>Creates a new event file in <paramref name="directory"/> and writes its version record.</summary>
    public TensorBoardLog(string directory, DateTimeOffset now)
    {
        Directory.CreateDirectory(directory);
        // TensorBoard's own name: events.out.tfevents.<seconds>.<host>; the pid and a counter keep two sessions apart.
        string name = $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}.{Environment.ProcessId}.{Interlocked.Increment(ref _files)}";
        Path = System.IO.Path.Combine(directory, name);
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        var version = new ProtoWriter();
        version.Double(1, WallTime(now));
        version.String(3, "brain.Event:2");
        WriteRecord(version.ToArray());
    }

    private static int _files;

    /// <summary>Full path of the event file.</summary>
    public string Path { get; }

    /// <summary>Appends one event: the scalars at <paramref name="step"/>, tagged as given (<c>eval/success_rate</c>).</summary>
    public void AddScalars(long step, IEnumerable<(string Tag, double Value)> scalars, DateTimeOffset now)
    {
        var summary = new ProtoWriter();
        foreach (var (tag, value) in scalars)
        {
            var item = new ProtoWriter();
            item.String(1, tag);
            item.Float(2, (float)value);
            summary.Message(1, item);
        }
        var e = new ProtoWriter();
        e.Double(1, WallTime(now));
        e.Varint(2, (ulong)step);
        e.Message(5, summary);
        WriteRecord(e.ToArray());
    }

    /// <summary>Hands what was written to the operating system, so a TensorBoard reading now sees it.</summary>
    public void Flush() => _stream.Flush();

    public void Dispose() => _stream.Dispose();

    private static double WallTime(DateTimeOffset now) => now.ToUnixTimeMilliseconds() / 1000.0;

    private void WriteRecord(byte[] data)
    {
        Span<byte> header = stackalloc byte[12];
        BinaryPrimitives.WriteUInt64LittleEndian(header, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], MaskedCrc32C.Of(header[..8]));
        Span<byte> footer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(footer, MaskedCrc32C.Of(data));
        _stream.Write(header);
        _stream.Write(data);
        _stream.Write(footer);
    }

    /// <summary>The few protocol-buffer encodings an Event needs.</summary>
    private sealed class ProtoWriter
    {
        private readonly MemoryStream _buffer = new();

        public void Varint(int field, ulong value)
        {
            Tag(field, 0);
            WriteVarint(value);
        }

        public void Double(int field, double value)
        {
            Tag(field, 1);
            Span<byte> bytes = stackalloc byte[8];
            BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
            _buffer.Write(bytes);
        }

        public void Float(int field, float value)
        {
            Tag(field, 5);
            Span<byte> bytes = stackalloc byte[4];
            BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
            _buffer.Write(bytes);
        }

        public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public void Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public byte[] ToArray() => _buffer.ToArray();

        private void Bytes(int field, byte[] bytes)
        {
            Tag(field, 2);
            WriteVarint((ulong)bytes.Length);
            _buffer.Write(bytes);
        }

        private void Tag(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

        private void WriteVarint(ulong value)
        {
            while (value >= 0x80)
            {
                _buffer.WriteByte((byte)(value | 0x80));
                value >>= 7;
            }
            _buffer.WriteByte((byte)value);
        }
    }
}
