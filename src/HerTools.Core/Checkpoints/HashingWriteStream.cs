using System.Security.Cryptography;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// The stream a <see cref="CheckpointFile.Write"/> delegate writes to: buffers writes in 1 MiB blocks and hashes
/// them on the way to the file, so a large file (the replay buffer) is not read back just to hash it. A writer that
/// seeks away from the end or changes the length breaks the sequence; the store then hashes the finished file
/// instead. Disposing it does not close the file: the store still has to flush it to disk.
/// </summary>
internal sealed class HashingWriteStream : Stream
{
    private const int BlockBytes = 1 << 20;

    private readonly FileStream _file;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _block = new byte[BlockBytes];
    private int _blockCount;
    private long _hashedBytes;
    private bool _sequential = true;
    private bool _closed;

    public HashingWriteStream(FileStream file) => _file = file;

    public override bool CanRead => false;
    public override bool CanSeek => !_closed && _file.CanSeek;
    public override bool CanWrite => !_closed;

    public override long Length
    {
        get { WriteBlock(); return _file.Length; }
    }

    public override long Position
    {
        get { ThrowIfClosed(); return _file.Position + _blockCount; }
        set => Seek(value, SeekOrigin.Begin);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        ThrowIfClosed();
        if (buffer.Length <= BlockBytes - _blockCount)
        {
            buffer.CopyTo(_block.AsSpan(_blockCount));
            _blockCount += buffer.Length;
            return;
        }
        WriteBlock();
        if (buffer.Length < BlockBytes)
        {
            buffer.CopyTo(_block);
            _blockCount = buffer.Length;
        }
        else
        {
            HashAndWrite(buffer);
        }
    }

    public override void WriteByte(byte value)
    {
        ThrowIfClosed();
        if (_blockCount == BlockBytes) WriteBlock();
        _block[_blockCount++] = value;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        WriteBlock();
        _file.Flush();
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        WriteBlock();
        long position = _file.Seek(offset, origin);
        if (position != _hashedBytes) _sequential = false;
        return position;
    }

    public override void SetLength(long value)
    {
        WriteBlock();
        _file.SetLength(value);
        _sequential = false;
    }

    public override int Read(byte[] buffer, int offset, int count) =>
        throw new NotSupportedException("a checkpoint file is written, not read, while it is saved");

    /// <summary>Writes what is buffered and returns the SHA-256 of the whole file if every byte went through in
    /// order, or null if the writer seeked and the finished file must be hashed from disk.</summary>
    public byte[]? Finish()
    {
        if (!_closed) WriteBlock();
        _closed = true;
        bool whole = _sequential && _hashedBytes == _file.Length;
        byte[] digest = _hash.GetHashAndReset();
        _hash.Dispose();
        return whole ? digest : null;
    }

    protected override void Dispose(bool disposing)
    {
        // The delegate may dispose what it was given (a BinaryWriter without leaveOpen does); keep what it wrote.
        if (disposing && !_closed)
        {
            WriteBlock();
            _closed = true;
        }
        base.Dispose(disposing);
    }

    private void WriteBlock()
    {
        ThrowIfClosed();
        if (_blockCount == 0) return;
        HashAndWrite(_block.AsSpan(0, _blockCount));
        _blockCount = 0;
    }

    private void HashAndWrite(ReadOnlySpan<byte> bytes)
    {
        if (_sequential)
        {
            _hash.AppendData(bytes);
            _hashedBytes += bytes.Length;
        }
        _file.Write(bytes);
    }

    private void ThrowIfClosed() => ObjectDisposedException.ThrowIf(_closed, this);
}
