namespace HerTools.Core.Metrics;

/// <summary>A metrics file that cannot be read or appended to; names the file and the problem.</summary>
public sealed class MetricsFormatException : HerToolsException
{
    public MetricsFormatException(string path, string problem) : base($"{path}: {problem}") { Path = path; }
    public string Path { get; }
}
