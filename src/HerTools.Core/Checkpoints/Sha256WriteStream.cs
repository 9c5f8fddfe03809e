using System.Security.Cryptography;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// The stream a <see cref="CheckpointFile.Write"/> delegate writes to: passes writes to the (buffered) file and
/// appends them to a SHA-256 on the way, so a large file (the replay buffer) is not read back just to hash it.
/// A writer that seeks away from the end or changes the length breaks the sequence; the store then hashes the
/// finished file instead. Disposing it does not close the file: the store still has to flush it to disk.
/// </summary>
internal sealed class Sha256WriteStream(FileStream file) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _hashedBytes;
    private bool _sequential = true;
    private bool _closed;

    public override bool CanRead => false;
    public override bool CanSeek => !_closed && file.CanSeek;
    public override bool CanWrite => !_closed;
    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        if (_sequential)
        {
            _hash.AppendData(buffer);
            _hashedBytes += buffer.Length;
        }
        file.Write(buffer);
    }

    public override void Flush() => file.Flush();

    public override long Seek(long offset, SeekOrigin origin)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        long position = file.Seek(offset, origin);
        if (position != _hashedBytes) _sequential = false;
        return position;
    }

    public override void SetLength(long value)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        file.SetLength(value);
        _sequential = false;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("a checkpoint file is written, not read, while it is saved");

    /// <summary>The SHA-256 of the whole file if every byte went through in order, or null if the writer seeked
    /// and the finished file must be hashed from disk.</summary>
    public byte[]? Finish()
    {
        _closed = true;
        bool whole = _sequential && _hashedBytes == file.Length;
        byte[] digest = _hash.GetHashAndReset();
        _hash.Dispose();
        return whole ? digest : null;
    }

    // The delegate may dispose what it was given (a BinaryWriter without leaveOpen does); the file stays open.
    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }
}
