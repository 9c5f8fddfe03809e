using System.Reflection;

namespace HerTools.Core.Tests;

/// <summary>The environment plug-in tests/HerTools.TestPlugin (MyEnvs.dll), as the build left it (Reach2D-v0, Reach2DNoState-v0).</summary>
internal static class TestPlugin
{
    public static string Path { get; } = typeof(TestPlugin).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "TestPluginPath").Value!;

    /// <summary>Copies the plug-in's folder (assembly, .deps.json, its NuGet dependency) into <paramref name="directory"/>;
    /// returns the copy's assembly path, which a test may change without touching the build.</summary>
    public static string CopyTo(string directory)
    {
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.GetFiles(System.IO.Path.GetDirectoryName(Path)!))
            File.Copy(file, System.IO.Path.Combine(directory, System.IO.Path.GetFileName(file)), overwrite: true);
        return System.IO.Path.Combine(directory, System.IO.Path.GetFileName(Path));
    }
}
