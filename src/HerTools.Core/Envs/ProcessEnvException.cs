namespace HerTools.Core.Envs;

/// <summary>
/// Raised when an environment process (<c>env.id: process</c>) crashes, hangs, reports an error or writes something
/// that is not the protocol. The message names the command and what it was asked, and ends with its last stderr lines.
/// The process has been killed and reaped by the time this is thrown.
/// </summary>
public sealed class ProcessEnvException : HerToolsException
{
    public ProcessEnvException(string command, string message, IReadOnlyList<string> lastStderrLines, Exception? inner = null)
        : base(lastStderrLines.Count == 0 ? $"{message} (it wrote nothing to stderr)"
            : $"{message}; its last stderr lines: {string.Join(" | ", lastStderrLines)}", inner)
    {
        Command = command;
        Problem = message;
        LastStderrLines = lastStderrLines;
    }

    /// <summary>What went wrong, without the stderr lines the message ends with.</summary>
    public string Problem { get; }

    /// <summary>The command line of the environment process.</summary>
    public string Command { get; }
    /// <summary>The last lines the process wrote to stderr, oldest first.</summary>
    public IReadOnlyList<string> LastStderrLines { get; }
}
