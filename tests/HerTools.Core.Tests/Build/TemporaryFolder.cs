using System.Runtime.InteropServices;

namespace HerTools.Core.Tests.Build;

/// <summary>A folder of its own for one test, deleted afterwards.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder()
    {
        Path = Directory.CreateTempSubdirectory("hertools-build-tests-").FullName;
    }

    public string Path { get; }

    /// <summary>Copies <paramref name="source"/> into the folder, keeping its last-write time as a build copy does.</summary>
    public string CopyIn(string source, string name)
    {
        string destination = System.IO.Path.Combine(Path, name);
        File.Copy(source, destination);
        File.SetLastWriteTimeUtc(destination, File.GetLastWriteTimeUtc(source));
        return destination;
    }

    /// <summary>Makes <paramref name="linkPath"/> a second name of <paramref name="existing"/>, as MSBuild's hard-linking copy does.</summary>
    public static void CreateHardLink(string existing, string linkPath)
    {
        if (link(existing, linkPath) != 0)
            throw new IOException($"link({existing}, {linkPath}) failed with errno {Marshal.GetLastPInvokeError()}.");
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    [DllImport("libc", SetLastError = true)]
    private static extern int link(string existing, string linkPath);
}
