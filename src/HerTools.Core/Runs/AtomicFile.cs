using System.Text;
using HerTools.Core.Checkpoints;

namespace HerTools.Core.Runs;

/// <summary>
/// Small files (a run's <c>config.yaml</c>, a sweep run's <c>status.json</c>, <c>sweep.csv</c>) replaced whole: written
/// to a temporary file beside the target, forced to disk, renamed over it, and the folder forced to disk. Without the
/// first flush a power loss can leave the new name pointing at an empty file; without the last, the old file.
/// </summary>
internal static class AtomicFile
{
    public static void WriteAllText(string path, string contents)
    {
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        string temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(Encoding.UTF8.GetBytes(contents));
                stream.Flush(flushToDisk: true);
            }
            FaultInjection.At(FaultPoint.SmallFileRename, path);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            try { File.Delete(temp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
        DirectorySync.Flush(directory);
    }
}
