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

    public static SweepBackend? Parse(string? option) => option switch
    {
        "local" => SweepBackend.Local,
        "slurm" => SweepBackend.Slurm,
        _ => null,
    };

    /// <summary>Runs the not-done runs locally (until done or Ctrl+C) or submits them to Slurm; returns the exit code.</summary>
    public static int Start(CliContext context, SweepFolder folder, SweepBackend? requested, int? throttle)
    {
        var backend = SweepRunner.BackendOf(folder, requested);
        if (backend == SweepBackend.Slurm)
        {
            var submission = SweepRunner.Start(folder, new SweepStartRequest(backend, HerToolsCommand: HerToolsCommand())).Submission;
            if (submission is null)
            {
                context.Out.WriteLine($"Nothing to submit: every run of {folder.Directory} is done, queued or running.");
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"Submitted job array {submission.JobId} ({submission.Indices.Count} runs) for {folder.Directory}.");
            context.Out.WriteLine($"Follow it with: her-tools sweep status {folder.Directory}");
            return ExitCodes.Success;
        }

        context.Out.WriteLine($"Running {SweepRunner.UnfinishedRunCount(folder)} of {folder.Runs.Count} runs of {folder.Directory}, " +
            $"{throttle ?? folder.Definition.Local.EffectiveThrottle} at a time.");
        var statuses = SweepRunner.Start(folder, new SweepStartRequest(backend, throttle), new LineProgress(context.Out), context.Stop).Statuses;
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
