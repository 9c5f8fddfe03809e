namespace HerTools.Core.Tests;

/// <summary>Finds the repository root from the test's output folder (the folder holding HerTools.sln).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "HerTools.sln"))) return dir.FullName;
        throw new InvalidOperationException("HerTools.sln not found above " + AppContext.BaseDirectory);
    }
}
