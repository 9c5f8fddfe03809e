using System.Runtime.InteropServices;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// Opens the files of a checkpoint as regular files only, never more bytes than <c>checkpoint.json</c> states.
/// A checkpoint may come from anyone: a symbolic link in it could point anywhere, a FIFO blocks the process that
/// opens it, a device never ends. So the kind of every file is looked at (without following links) before it is
/// opened, its length must equal what the manifest states, and the stream handed out stops at that length.
/// </summary>
/// <remarks>On Linux the kind comes from <c>statx</c> with <c>AT_SYMLINK_NOFOLLOW</c>, which tells every file type
/// apart. Elsewhere .NET's file information is used: it sees links and folders; Windows has no FIFOs, and its
/// device names are not plain file names (<see cref="CheckpointNames.IsPlainFileName"/>).</remarks>
internal static partial class CheckpointFileAccess
{
    /// <summary>The kind of <paramref name="path"/>, the path itself (a link is a link, wherever it points).</summary>
    public static CheckpointFileKind KindOf(string path, out long length)
    {
        length = 0;
        if (OperatingSystem.IsLinux() && TryStatx(path, out var kind, out length)) return kind;

        var info = new FileInfo(path);
        if (info.LinkTarget is not null) return CheckpointFileKind.SymbolicLink;
        if (Directory.Exists(path)) return CheckpointFileKind.Directory;
        if (!info.Exists) return CheckpointFileKind.Missing;
        if ((info.Attributes & (FileAttributes.ReparsePoint | FileAttributes.Device)) != 0) return CheckpointFileKind.Special;
        length = info.Length;
        return CheckpointFileKind.Regular;
    }

    /// <summary>
    /// Opens <paramref name="fileName"/> of <paramref name="checkpointPath"/> for reading after checking that it is a
    /// regular file of exactly <paramref name="expectedBytes"/> bytes. The stream never reads past that length.
    /// </summary>
    /// <exception cref="CheckpointException">Missing, not a regular file, or of another length.</exception>
    public static Stream OpenRegular(string checkpointPath, string fileName, long expectedBytes, int bufferSize = 1 << 16)
    {
        string path = Path.Combine(checkpointPath, fileName);
        CheckRegular(checkpointPath, fileName, expectedBytes);
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CheckpointException(checkpointPath, fileName, CheckpointProblem.Missing, $"cannot be opened: {e.Message}", e);
        }
        // The length once more on the open file: it may have been replaced since it was looked at.
        if (stream.Length != expectedBytes)
        {
            long found = stream.Length;
            stream.Dispose();
            throw LengthProblem(checkpointPath, fileName, found, expectedBytes);
        }
        return new BoundedReadStream(stream, expectedBytes);
    }

    /// <summary>Checks, without opening it, that the file is a regular file of <paramref name="expectedBytes"/> bytes.</summary>
    public static void CheckRegular(string checkpointPath, string fileName, long expectedBytes)
    {
        string path = Path.Combine(checkpointPath, fileName);
        const string listed = CheckpointStore.ManifestFileName;
        var kind = KindOf(path, out long length);
        switch (kind)
        {
            case CheckpointFileKind.Missing:
                throw new CheckpointException(checkpointPath, fileName, CheckpointProblem.Missing,
                    $"missing: {listed} lists it ({expectedBytes} bytes) but it is not in the folder");
            case CheckpointFileKind.Regular:
                break;
            default:
                throw new CheckpointException(checkpointPath, fileName, CheckpointProblem.NotARegularFile,
                    $"not a regular file but {Describe(kind)}; a checkpoint holds regular files only");
        }
        if (length != expectedBytes) throw LengthProblem(checkpointPath, fileName, length, expectedBytes);
    }

    private static CheckpointException LengthProblem(string checkpointPath, string fileName, long found, long expected)
    {
        const string listed = CheckpointStore.ManifestFileName;
        return found < expected
            ? new CheckpointException(checkpointPath, fileName, CheckpointProblem.Truncated, $"truncated: {found} bytes on disk, {listed} lists {expected}")
            : new CheckpointException(checkpointPath, fileName, CheckpointProblem.WrongLength,
                $"wrong length: {found} bytes on disk, {listed} lists {expected}");
    }

    private static string Describe(CheckpointFileKind kind) => kind switch
    {
        CheckpointFileKind.SymbolicLink => "a symbolic link",
        CheckpointFileKind.Directory => "a folder",
        _ => "a FIFO, device or socket",
    };

    // statx(2): the same struct layout on every Linux architecture, unlike struct stat.
    private const int AtFdCwd = -100, AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1, StatxSize = 0x200;
    private const int ModeOffset = 28, SizeOffset = 40, StatxBytes = 256;
    private const int TypeMask = 0xF000, TypeRegular = 0x8000, TypeDirectory = 0x4000, TypeLink = 0xA000;
    private const int ENOENT = 2, ENOTDIR = 20;
    private static bool _statxMissing;

    private static unsafe bool TryStatx(string path, out CheckpointFileKind kind, out long length)
    {
        kind = CheckpointFileKind.Missing;
        length = 0;
        if (_statxMissing) return false;
        byte* buffer = stackalloc byte[StatxBytes];
        int result;
        try
        {
            result = Statx(AtFdCwd, path, AtSymlinkNoFollow, StatxType | StatxSize, buffer);
        }
        catch (EntryPointNotFoundException) { _statxMissing = true; return false; }
        catch (DllNotFoundException) { _statxMissing = true; return false; }
        if (result != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            if (errno is ENOENT or ENOTDIR) return true; // Missing
            return false; // ENOSYS (an old kernel) or a permission problem: let .NET say what it sees
        }
        int mode = *(ushort*)(buffer + ModeOffset) & TypeMask;
        length = *(long*)(buffer + SizeOffset);
        kind = mode switch
        {
            TypeRegular => CheckpointFileKind.Regular,
            TypeDirectory => CheckpointFileKind.Directory,
            TypeLink => CheckpointFileKind.SymbolicLink,
            _ => CheckpointFileKind.Special,
        };
        return true;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int Statx(int directoryFd, string path, int flags, uint mask, byte* buffer);
}
