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

    /// <summary>The <c>--no-wait</c> option: a search on Slurm submits its rung and returns instead of driving the search.</summary>
    public static Option<bool> CreateNoWait() => new("--no-wait")
    {
        Description = "Slurm search: submit the rung that can be submitted now and return; run 'sweep resume' again to go on.",
    };

    /// <summary>The <c>--poll-seconds</c> option: how often a search on Slurm looks at the queue.</summary>
    public static Option<int?> CreatePoll() => new("--poll-seconds")
    {
        Description = "Slurm search: look at the queue this often (default 15).", HelpName = "N",
        CustomParser = NumberParsing.Optional<int>(minimum: 1),
    };

    /// <summary>Runs the not-done runs locally (until done or Ctrl+C) or submits them to Slurm; returns the exit code. A
    /// search on Slurm is driven here, rung after rung, until it ends (unless <paramref name="noWait"/>).</summary>
    public static int Start(CliContext context, SweepFolder folder, SweepBackend? requested, int? throttle, bool noWait = false, int? pollSeconds = null)
    {
        var backend = SweepRunner.BackendOf(folder, requested);
        bool search = folder.Definition.Search is not null;
        if (backend == SweepBackend.Slurm)
        {
            TimeSpan? poll = search && !noWait ? TimeSpan.FromSeconds(pollSeconds ?? 15) : null;
            if (poll is not null)
                context.Out.WriteLine($"Driving the search of {folder.Directory} on Slurm: each rung is submitted when the one before is decided " +
                    "(Ctrl+C leaves the tasks running; 'sweep resume' goes on).");
            var started = SweepRunner.Start(folder, new SweepStartRequest(backend, HerToolsCommand: HerToolsCommand(), SearchPollInterval: poll),
                poll is null ? null : new LineProgress(context.Out), context.Stop);
            if (poll is not null)
            {
                SweepTable.Write(context.Out, started.Statuses);
                context.Out.WriteLine(SweepTable.SearchSummary(started.Statuses));
                if (context.Stop.IsCancellationRequested) return ExitCodes.Stopped;
                return started.Statuses.Any(s => s.State == SweepRunState.Failed) ? ExitCodes.RuntimeFailure : ExitCodes.Success;
            }
            if (started.Submission is not { } submission)
            {
                context.Out.WriteLine($"Nothing to submit: every run of {folder.Directory} is done, queued or running.");
                return ExitCodes.Success;
            }
            context.Out.WriteLine($"Submitted job array {submission.JobId} ({submission.Indices.Count} runs) for {folder.Directory}.");
            context.Out.WriteLine(search
                ? $"Go on with the search once they are done: her-tools sweep resume {folder.Directory} --backend slurm"
                : $"Follow it with: her-tools sweep status {folder.Directory}");
            return ExitCodes.Success;
        }

        int workers = throttle ?? folder.Definition.Local.EffectiveThrottle;
        context.Out.WriteLine(folder.Definition.Search is { } options
            ? $"Searching {folder.Directory}: successive halving over {SweepSearch.Trials(folder).Count} trials ({folder.Runs.Count} runs), " +
                $"rungs {string.Join(", ", options.Rungs.Select(Format.Count))}, {workers} runs at a time."
            : $"Running {SweepRunner.UnfinishedRunCount(folder)} of {folder.Runs.Count} runs of {folder.Directory}, {workers} at a time.");
        var statuses = SweepRunner.Start(folder, new SweepStartRequest(backend, throttle), new LineProgress(context.Out), context.Stop).Statuses;
        SweepTable.Write(context.Out, statuses);
        if (SweepTable.SearchSummary(statuses) is { } summary) context.Out.WriteLine(summary);
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
