using System.CommandLine;
using System.CommandLine.Parsing;
using HerTools.Core;
using HerTools.Core.Config;
using HerTools.Core.Runs;

namespace HerTools.Cli;

/// <summary>The one place where failures become exit codes and stderr lines.</summary>
internal static class CliErrors
{
    /// <summary>Writes one line naming the problem (the stack trace too with <c>--verbose</c>) and returns the exit code.</summary>
    public static int Report(Exception exception, bool verbose, TextWriter error)
    {
        (int code, string message) = exception switch
        {
            UsageException e => (ExitCodes.BadUsage, e.Message),
            // The engine's message already names the key and the file:line or the override.
            ConfigException e => (ExitCodes.BadUsage, e.Message),
            RunRequestException e => (ExitCodes.BadUsage, e.Message),
            OperationCanceledException => (ExitCodes.Stopped, "stopped"),
            HerToolsException e => (ExitCodes.RuntimeFailure, e.Message),
            IOException or UnauthorizedAccessException => (ExitCodes.RuntimeFailure, exception.Message),
            // Anything else is a bug or an unfinished part; its type is part of naming the problem.
            _ => (ExitCodes.RuntimeFailure, $"{exception.GetType().Name}: {exception.Message}"),
        };
        error.WriteLine($"her-tools: {OneLine(message)}");
        if (verbose) error.WriteLine(exception.ToString());
        return code;
    }

    /// <summary>Parse errors from System.CommandLine (unknown option, missing argument, bad number): exit code 2.</summary>
    public static int ReportParseErrors(ParseResult parsed, TextWriter error)
    {
        foreach (var parseError in parsed.Errors) error.WriteLine($"her-tools: {OneLine(parseError.Message)}");
        var (path, command) = CommandPath(parsed);
        error.WriteLine($"Usage: {Usage(path, command)}");
        error.WriteLine($"Run '{path} --help' for more.");
        return ExitCodes.BadUsage;
    }

    /// <summary>"her-tools train", whatever the host process is called, and the command itself.</summary>
    private static (string Path, Command Command) CommandPath(ParseResult parsed)
    {
        var names = new List<string>();
        for (SymbolResult? result = parsed.CommandResult; result is CommandResult command; result = command.Parent)
            names.Add(command.Command is RootCommand ? "her-tools" : command.Command.Name);
        names.Reverse();
        return (string.Join(' ', names), parsed.CommandResult.Command);
    }

    /// <summary>"her-tools plot RUN_DIR... --output PNG [options]": the arguments and required options a command takes.</summary>
    private static string Usage(string path, Command command)
    {
        var parts = new List<string> { path };
        if (command.Subcommands.Count > 0) parts.Add("COMMAND");
        foreach (var argument in command.Arguments)
        {
            string name = argument.Arity.MaximumNumberOfValues > 1 ? argument.Name + "..." : argument.Name;
            parts.Add(argument.Arity.MinimumNumberOfValues == 0 ? $"[{name}]" : name);
        }
        foreach (var option in command.Options.Where(o => o.Required))
            parts.Add($"{option.Name} {option.HelpName ?? "VALUE"}");
        parts.Add("[options]");
        return string.Join(' ', parts);
    }

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
