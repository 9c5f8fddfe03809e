namespace HerTools.Core.Tests;

/// <summary>A temporary folder for one sweep test, removed afterwards.</summary>
internal sealed class SweepTestFiles : IDisposable
{
    public SweepTestFiles() => Directory.CreateDirectory(Root);

    public string Root { get; } = Path.Combine(Path.GetTempPath(), $"hertools-sweep-{Guid.NewGuid():N}");

    public string Write(string name, string text)
    {
        string path = Path.Combine(Root, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }
}
