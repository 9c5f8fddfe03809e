using System.Runtime.InteropServices;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// Forces a folder's entries (files created in it, renames into it) to disk. On Linux and macOS a rename is durable
/// only once its folder is fsync'ed; .NET has no API for that, so this calls <c>open</c>/<c>fsync</c> directly.
/// On Windows NTFS journals renames itself and a folder cannot be flushed, so there is nothing to do.
/// </summary>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY: opening a folder read-only is allowed and enough to fsync it
    private const int EIO = 5, ENOSPC = 28;

    public static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return;
        int fd = Open(directory, ReadOnly);
        if (fd < 0) return; // a file system that will not open folders gives no way to flush them
        try
        {
            if (FSync(fd) != 0)
            {
                int errno = Marshal.GetLastPInvokeError();
                // EINVAL and friends mean "this file system cannot sync a folder": nothing more to do there.
                // An I/O error or a full disk means the rename may not survive a crash: that must be reported.
                if (errno is EIO or ENOSPC)
                    throw new IOException($"{directory}: flushing the folder to disk failed (errno {errno})");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);
}
