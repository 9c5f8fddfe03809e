namespace HerTools.Core.Runs;

/// <summary>A training asked for in a way that cannot be done as asked (bad usage: exit code 2 in <c>her-tools</c>).</summary>
public sealed class RunRequestException : HerToolsException
{
    public RunRequestException(string message, string? missingPath = null) : base(message) => MissingPath = missingPath;

    /// <summary>The path the user named that does not exist, when that is the problem.</summary>
    public string? MissingPath { get; }
}
