namespace HerTools.Cli.Tests;

/// <summary>Runs her-tools in-process and keeps what it printed.</summary>
internal static class Cli
{
    public static CliRun Run(params string[] args) => Run(CancellationToken.None, args);

    public static CliRun Run(CancellationToken stop, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int exitCode = Program.Run(args, stdout, stderr, stop);
        return new CliRun(exitCode, stdout.ToString(), stderr.ToString());
    }
}

/// <summary>The exit code and the text of one run.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}
