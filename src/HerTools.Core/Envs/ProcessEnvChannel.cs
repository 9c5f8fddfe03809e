using System.Buffers.Binary;
using System.ComponentModel;
using System.Diagnostics;
using System.IO.Pipes;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace HerTools.Core.Envs;

/// <summary>
/// The child process of one environment: framed requests on its stdin, framed replies on its stdout, its stderr kept
/// (the last lines, for errors). A watchdog kills a child that does not answer within the timeout; any failure kills
/// and reaps it, and so do <see cref="Dispose"/> and the end of the host process: a child is never left running.
/// </summary>
internal sealed class ProcessEnvChannel : IDisposable
{
    private const int StderrLinesKept = 20;
    private const double StartupSeconds = 60;
    private static readonly Lock LiveGate = new();
    private static readonly HashSet<ProcessEnvChannel> Live = [];

    // Replies are read through a buffer: one read call takes a whole reply (its length and body) off the pipe.
    private const int ReadBufferBytes = 64 << 10;
    // How long a request polls for its reply before it blocks: a step's comes within about 50 us (see PipeReadiness).
    private static readonly long PollTicks = Stopwatch.Frequency / 5000; // 200 us

    private readonly Process _process;
    private readonly Stream _stdin, _stdout;
    private readonly SafePipeHandle? _stdoutPipe;
    private readonly byte[] _in = new byte[ReadBufferBytes];
    private int _inStart, _inEnd; // _in[_inStart.._inEnd) is read from the pipe but not yet taken
    private readonly Queue<string> _stderr = new();
    private readonly byte[] _header = new byte[4];
    // The next request's frame (length, type, body), written in place by the caller: no copy, no allocation a step.
    private byte[] _request = new byte[256];
    private int _requestLength;
    private readonly TimeSpan _timeout;
    private readonly Timer _watchdog;
    private long _deadline = long.MaxValue; // Stopwatch ticks; the watchdog kills the child past it
    private volatile bool _timedOut;
    private bool _broken, _disposed;
    private byte[] _reply = new byte[256];

    static ProcessEnvChannel()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            ProcessEnvChannel[] live;
            lock (LiveGate) live = Live.ToArray();
            foreach (var channel in live) channel.Kill();
        };
    }

    public ProcessEnvChannel(IReadOnlyList<string> command, TimeSpan timeout)
    {
        if (command.Count == 0 || string.IsNullOrWhiteSpace(command[0])) throw new ArgumentException("the command is empty", nameof(command));
        Command = string.Join(' ', command.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"'{a}'" : a));
        _timeout = timeout;
        var start = new ProcessStartInfo(command[0])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (string argument in command.Skip(1)) start.ArgumentList.Add(argument);
        _process = new Process { StartInfo = start };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > StderrLinesKept) _stderr.Dequeue();
            }
        };
        try { _process.Start(); }
        catch (Win32Exception ex) { throw new ProcessEnvException(Command, $"environment process '{Command}' cannot be started: {ex.Message}", []); }
        lock (LiveGate) Live.Add(this);
        _process.BeginErrorReadLine();
        _stdin = _process.StandardInput.BaseStream;
        _stdout = _process.StandardOutput.BaseStream;
        _stdoutPipe = (_stdout as PipeStream)?.SafePipeHandle;
        _watchdog = new Timer(_ => Watch(), null, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(200));
    }

    /// <summary>The command line, as errors show it.</summary>
    public string Command { get; }

    /// <summary>Sends a request of type <paramref name="type"/> with <paramref name="body"/> and returns the reply's body
    /// (see <see cref="Send"/>).</summary>
    /// <exception cref="ProcessEnvException">The child crashed, hung, reported an error or broke the protocol; it is killed.</exception>
    public ReadOnlySpan<byte> Request(byte type, ReadOnlySpan<byte> body, byte expectedReply)
    {
        body.CopyTo(StartRequest(type, body.Length));
        return Send(expectedReply);
    }

    /// <summary>Starts the next request: its <paramref name="bodyLength"/> body bytes, to be filled in place before
    /// <see cref="Send"/> sends them.</summary>
    public Span<byte> StartRequest(byte type, int bodyLength)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int frameLength = 5 + bodyLength;
        if (_request.Length < frameLength) _request = new byte[Math.Max(frameLength, _request.Length * 2)];
        BinaryPrimitives.WriteUInt32LittleEndian(_request, (uint)(bodyLength + 1));
        _request[4] = type;
        _requestLength = frameLength;
        return _request.AsSpan(5, bodyLength);
    }

    /// <summary>Sends the request <see cref="StartRequest"/> started and returns the reply's body (after its type byte),
    /// which stays valid until the next request.</summary>
    /// <exception cref="ProcessEnvException">The child crashed, hung, reported an error or broke the protocol; it is killed.</exception>
    public ReadOnlySpan<byte> Send(byte expectedReply)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        byte type = _request[4];
        if (_broken) throw Fail($"environment process '{Command}' failed earlier");

        // The first answer comes after the process started up (an interpreter, its imports): it gets at least a minute.
        double seconds = type == ProcessEnvProtocol.Hello ? Math.Max(_timeout.TotalSeconds, StartupSeconds) : _timeout.TotalSeconds;
        Volatile.Write(ref _deadline, Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency));
        int length;
        try
        {
            _stdin.Write(_request, 0, _requestLength);
            _stdin.Flush();
            if (_inEnd == _inStart && _stdoutPipe is not null) PipeReadiness.WaitReadable(_stdoutPipe, PollTicks);
            if (!ReadExactly(_header)) throw Fail(Ended(type));
            length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(_header), int.MaxValue);
            if (length < 1 || length > ProcessEnvProtocol.MaxFrameBytes)
                throw Fail($"environment process '{Command}' wrote something that is not a protocol frame in reply to {ProcessEnvProtocol.Name(type)} " +
                    $"(bytes {Convert.ToHexString(_header)}, read as a frame of {length} bytes); anything it prints must go to stderr");
            if (_reply.Length < length) _reply = new byte[Math.Max(length, _reply.Length * 2)];
            if (!ReadExactly(_reply.AsSpan(0, length))) throw Fail(Ended(type));
        }
        catch (IOException ex) { throw Fail($"{Ended(type)} ({ex.Message})"); }
        finally { Volatile.Write(ref _deadline, long.MaxValue); }

        byte replyType = _reply[0];
        if (replyType == ProcessEnvProtocol.Error)
        {
            string message = ReadString(_reply.AsSpan(1, length - 1));
            throw Fail($"environment process '{Command}' reported an error in {ProcessEnvProtocol.Name(type)}: {message}");
        }
        if (replyType != expectedReply)
            throw Fail($"environment process '{Command}' answered {ProcessEnvProtocol.Name(type)} with message type {replyType}, not {expectedReply}");
        return _reply.AsSpan(1, length - 1);
    }

    /// <summary>A reply whose body has the wrong size for what was asked: the child breaks the protocol.</summary>
    public ProcessEnvException Malformed(byte request, string what) =>
        Fail($"environment process '{Command}' answered {ProcessEnvProtocol.Name(request)} with {what}");

    internal static string ReadString(ReadOnlySpan<byte> body)
    {
        if (body.Length < 4) return "";
        int length = (int)Math.Min(BinaryPrimitives.ReadUInt32LittleEndian(body), (uint)(body.Length - 4));
        return Encoding.UTF8.GetString(body.Slice(4, length));
    }

    private bool ReadExactly(Span<byte> into)
    {
        int done = 0;
        while (done < into.Length)
        {
            if (_inStart == _inEnd)
            {
                // Whatever the pipe holds, up to a buffer: the rest of the reply, usually, in one call.
                _inStart = 0;
                _inEnd = _stdout.Read(_in);
                if (_inEnd == 0) return false;
            }
            int n = Math.Min(into.Length - done, _inEnd - _inStart);
            _in.AsSpan(_inStart, n).CopyTo(into[done..]);
            _inStart += n;
            done += n;
        }
        return true;
    }

    private string Ended(byte type) => _timedOut
        ? $"environment process '{Command}' did not answer {ProcessEnvProtocol.Name(type)} within {_timeout.TotalSeconds:0.###} s and was killed"
        : $"environment process '{Command}' ended during {ProcessEnvProtocol.Name(type)}";

    // Kills and reaps the child, then describes the failure with its exit code and last stderr lines.
    private ProcessEnvException Fail(string message)
    {
        _broken = true;
        Kill();
        string exit = _process.HasExited && !_timedOut ? $" (exit code {_process.ExitCode})" : "";
        string[] lines;
        lock (_stderr) lines = _stderr.ToArray();
        return new ProcessEnvException(Command, message + exit, lines);
    }

    private void Watch()
    {
        if (Stopwatch.GetTimestamp() <= Volatile.Read(ref _deadline)) return;
        _timedOut = true;
        Kill();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            // Waiting reaps it, and lets the stderr reader take the last lines.
            if (_process.WaitForExit(5000)) _process.WaitForExit();
        }
        catch (InvalidOperationException) { } // never started or already disposed
        catch (Win32Exception) { }
        lock (LiveGate) Live.Remove(this);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _watchdog.Dispose();
        if (!_broken)
        {
            // Asked to close, a child ends by itself; one that does not within a second is killed.
            try
            {
                _stdin.Write([1, 0, 0, 0, ProcessEnvProtocol.Close]);
                _stdin.Close();
                _process.WaitForExit(1000);
            }
            catch (IOException) { }
        }
        Kill();
        _process.Dispose();
    }
}
