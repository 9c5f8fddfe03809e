using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace HerTools.Core.Runs;

/// <summary>
/// The exclusive right to write one run folder, held for the whole life of a training: <c>run.lock</c> in the folder,
/// kept open with an OS lock (<see cref="FileShare.None"/>, which .NET takes with <c>flock</c> on Unix) and holding
/// the holder's pid, host and start time. A second writer is refused at once with an error naming the holder. The
/// kernel drops the lock when its process dies however it dies, so a lock left by a dead process is simply taken
/// over; the file itself is never deleted (a delete racing an open could let two processes lock two files of one
/// name). Readers of a run (status, metrics, plots) never need it.
/// </summary>
public sealed partial class RunLock : IDisposable
{
    /// <summary>The lock file's name in a run folder.</summary>
    public const string FileName = "run.lock";

    private readonly FileStream _stream;

    private RunLock(string runDirectory, FileStream stream)
    {
        RunDirectory = runDirectory;
        _stream = stream;
    }

    /// <summary>The run folder this lock holds.</summary>
    public string RunDirectory { get; }

    /// <summary>Takes the lock of <paramref name="runDirectory"/> (which must exist), or fails at once.</summary>
    /// <exception cref="RunLockedException">Another live process (or another training in this one) holds it.</exception>
    public static RunLock Acquire(string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName);
        FileStream stream;
        try { stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None); }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new RunLockedException(runDirectory, ReadHolder(runDirectory));
        }
        try
        {
            // The holder's identity, for the message a refused writer prints; flushed so another host sees it too.
            string holder = string.Create(CultureInfo.InvariantCulture,
                $"pid: {Environment.ProcessId}\nhost: {Environment.MachineName}\nstarted_utc: {DateTimeOffset.UtcNow:O}\n");
            stream.SetLength(0);
            stream.Write(Encoding.UTF8.GetBytes(holder));
            stream.Flush(flushToDisk: true);
            return new RunLock(runDirectory, stream);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Who holds or last held the lock of <paramref name="runDirectory"/> ("process 123 on host-a since ..."), or
    /// null when that cannot be read. Reads past the OS lock (on Unix), so a refused writer can name the holder.</summary>
    public static string? ReadHolder(string runDirectory)
    {
        string? text = ReadPastLock(Path.Combine(runDirectory, FileName));
        if (string.IsNullOrWhiteSpace(text)) return null;
        var fields = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split(':', 2, StringSplitOptions.TrimEntries))
            .Where(parts => parts.Length == 2)
            .GroupBy(parts => parts[0]).ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);
        if (!fields.TryGetValue("pid", out string? pid)) return null;
        string host = fields.GetValueOrDefault("host") ?? "an unknown host";
        string since = fields.TryGetValue("started_utc", out string? started) ? $" since {started}" : "";
        return $"process {pid} on {host}{since}";
    }

    /// <summary>Releases the lock (the file stays).</summary>
    public void Dispose() => _stream.Dispose();

    private static bool IsHeldElsewhere(IOException e) =>
        // EWOULDBLOCK/EAGAIN from flock on Unix; ERROR_SHARING_VIOLATION or ERROR_LOCK_VIOLATION on Windows.
        (e.HResult & 0xFFFF) is 11 or 35 or 32 or 33 || e.Message.Contains("being used by another process", StringComparison.Ordinal);

    private static string? ReadPastLock(string path)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return null; // Windows refuses any open of a locked file
        int fd = Open(path, 0);
        if (fd < 0) return null;
        try
        {
            var buffer = new byte[512];
            nint read = Read(fd, buffer, buffer.Length);
            return read > 0 ? Encoding.UTF8.GetString(buffer, 0, (int)read) : null;
        }
        finally { _ = Close(fd); }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte[] buffer, nint count);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
