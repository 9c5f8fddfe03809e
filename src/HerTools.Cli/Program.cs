using System.CommandLine;
using System.CommandLine.Invocation;
using HerTools.Cli.Commands;
using HerTools.Cli.Commands.Sweep;

namespace HerTools.Cli;

/// <summary>Entry point of the her-tools .NET tool: wires the commands together.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        using var signals = new StopSignals(Console.Error);
        return Run(args, new CliContext(Console.Out, Console.Error, signals.Token, LiveProgress: IsInteractive()));
    }

    /// <summary>Runs one command line in-process, as the tool would, and returns its exit code; progress is
    /// printed as plain lines. Tests and hosts call this with their own writers.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken = default) =>
        Run(args, new CliContext(stdout, stderr, cancellationToken, LiveProgress: false));

    internal static int Run(string[] args, CliContext context)
    {
        var verbose = new Option<bool>("--verbose")
        {
            Description = "Print the stack trace of an error as well as its one-line message.",
            Recursive = true,
        };
        var root = new RootCommand("her-tools: goal-conditioned RL with Hindsight Experience Replay (DDPG+HER) from any shell.")
        {
            verbose,
            new TrainCommand(context),
            new EvalCommand(context),
            new ExportCommand(context),
            new CheckpointsCommand(context),
            new EnvsCommand(context),
            new PresetsCommand(context),
            new PlotCommand(context),
            new SweepCommand(context),
        };

        ParseResult? parsed = null;
        try
        {
            parsed = root.Parse(args);
            if (parsed.Action is ParseErrorAction) return CliErrors.ReportParseErrors(parsed, context.Error);
            return parsed.Invoke(new InvocationConfiguration
            {
                Output = context.Out,
                Error = context.Error,
                EnableDefaultExceptionHandler = false,
                ProcessTerminationTimeout = null,
            });
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, parsed?.GetValue(verbose) ?? args.Contains("--verbose"), context.Error);
        }
    }

    /// <summary>A person is watching: stdout is a terminal and no CI system says otherwise.</summary>
    private static bool IsInteractive()
    {
        string? ci = Environment.GetEnvironmentVariable("CI");
        bool inCi = ci is not null && (ci.Equals("true", StringComparison.OrdinalIgnoreCase) || ci == "1");
        return !Console.IsOutputRedirected && !inCi && Environment.GetEnvironmentVariable("TERM") != "dumb";
    }
}
