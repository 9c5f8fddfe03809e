using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Commands.Sweep;

/// <summary>The <c>--backend local|slurm</c> option of <c>sweep run</c> and <c>sweep resume</c>, and what starts a sweep on each.</summary>
internal static class SweepBackendOption
{
    public static Option<string?> Create() => new Option<string?>("--backend")
    {
        Description = "local or slurm (default: the sweep file's backend).",
        HelpName = "local|slurm",
    }.AcceptOnlyFromAmong("local", "slurm");

    public static SweepBackend Resolve(string? option, SweepDefinition definition) => option switch
    {
        "local" => SweepBackend.Local,
        "slurm" => SweepBackend.Slurm,
        _ => definition.Backend,
    };

    /// <summary>Runs the not-done runs locally (until done or Ctrl+C) or submits them to Slurm; returns the exit code.</summary>
    public static int Start(CliContext context, SweepFolder folder, SweepBackend backend, int? throttle)
    {
        if (backend == SweepBackend.Slurm)
        {
            var submission = SlurmSweepRunner.Submit(folder, HerToolsCommand());
            if (submission is null)
            {
                context.Out.WriteLine($"Nothing to submit: every run of {folder.Directory} is done, queued or running.");
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"Submitted job array {submission.JobId} ({submission.Indices.Count} runs) for {folder.Directory}.");
            context.Out.WriteLine($"Follow it with: her-tools sweep status {folder.Directory}");
            return ExitCodes.Success;
        }

        int runs = folder.ReadStatus().Count(s => s.State != SweepRunState.Done);
        context.Out.WriteLine($"Running {runs} of {folder.Runs.Count} runs of {folder.Directory}, {throttle ?? folder.Definition.Local.EffectiveThrottle} at a time.");
        var finished = new LineProgress(context.Out);
        var statuses = LocalSweepRunner.Run(folder, throttle, finished, context.Stop);
        SweepTable.Write(context.Out, statuses);
        if (context.Stop.IsCancellationRequested) return ExitCodes.Stopped;
        return statuses.Any(s => s.State == SweepRunState.Failed) ? ExitCodes.RuntimeFailure : ExitCodes.Success;
    }

    /// <summary>How a Slurm task starts this tool: the apphost itself, or the dotnet host with this assembly.</summary>
    internal static IReadOnlyList<string> HerToolsCommand()
    {
        string process = Environment.ProcessPath ?? throw new UsageException("cannot tell this program's path for the Slurm tasks");
        return Path.GetFileNameWithoutExtension(process) == "dotnet"
            ? [process, typeof(Program).Assembly.Location]
            : [process];
    }

    /// <summary>Prints a line as each run ends (called from the runs' threads).</summary>
    private sealed class LineProgress(TextWriter output) : IProgress<SweepRunStatus>
    {
        private readonly Lock _gate = new();

        public void Report(SweepRunStatus value)
        {
            lock (_gate) output.WriteLine(SweepTable.Line(value));
        }
    }
}
