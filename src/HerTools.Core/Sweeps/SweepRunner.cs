namespace HerTools.Core.Sweeps;

/// <summary>
/// What a front end calls to start, resume, watch and stop a sweep folder. <c>her-tools sweep run|resume|status|stop</c>
/// and <c>Start-/Resume-/Get-/Stop-HerSweep</c> all go through here, so both answer each question the same way.
/// </summary>
public static class SweepRunner
{
    /// <summary>The backend a start uses: the one asked for, else the sweep file's <c>backend</c>.</summary>
    public static SweepBackend BackendOf(SweepFolder folder, SweepBackend? requested) => requested ?? folder.Definition.Backend;

    /// <summary>Runs that are not done: what a start would train or submit.</summary>
    public static int UnfinishedRunCount(SweepFolder folder)
    {
        var statuses = folder.ReadStatus();
        if (folder.Definition.Search is null) return statuses.Count(s => s.State != SweepRunState.Done);
        // A search: the runs of the rung being trained that are not in yet.
        return SweepSearch.CurrentRung(folder, SearchState.Read(folder.Directory)) is { } rung
            ? rung.Runs.Count(i => !SweepSearch.IsIn(statuses[i], rung.Budget)) : 0;
    }

    /// <summary>
    /// Starts the runs that are not done (stopped ones from their latest checkpoint; a resume is the same call). On Slurm
    /// they are submitted as one job array and this returns at once; locally they are trained in this process until all
    /// end or <paramref name="cancellationToken"/> stops them after a checkpoint each.
    /// </summary>
    /// <param name="folder">The sweep.</param>
    /// <param name="request">Backend, throttle and, for Slurm, how a task starts her-tools.</param>
    /// <param name="runFinished">Locally: told of each run's status as it ends (called from the run's thread); a search on
    /// Slurm driven with <see cref="SweepStartRequest.SearchPollInterval"/>: told of runs seen done or failed.</param>
    /// <param name="cancellationToken">Locally: stops the sweep.</param>
    /// <exception cref="SweepException">Slurm refused the job, or <c>sbatch</c> is missing.</exception>
    public static SweepStartResult Start(SweepFolder folder, SweepStartRequest request,
        IProgress<SweepRunStatus>? runFinished = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(request);
        var backend = BackendOf(folder, request.Backend);
        if (backend == SweepBackend.Slurm)
        {
            var herTools = request.HerToolsCommand ?? throw new ArgumentException("a Slurm start needs the her-tools command its tasks run", nameof(request));
            var submission = SlurmSweepRunner.Submit(folder, herTools);
            if (folder.Definition.Search is not null && request.SearchPollInterval is TimeSpan poll)
                submission = DriveSearch(folder, herTools, poll, submission, runFinished, cancellationToken);
            return new SweepStartResult(backend, submission, Status(folder));
        }
        return new SweepStartResult(backend, null, LocalSweepRunner.Run(folder, request.Throttle, runFinished, cancellationToken));
    }

    /// <summary>A search's controller loop on Slurm, in the foreground (no daemon): waits for the rung's tasks, decides it,
    /// submits the next, until the search ends or the token is cancelled. Returns the last submission.</summary>
    private static SlurmSubmission? DriveSearch(SweepFolder folder, IReadOnlyList<string> herTools, TimeSpan poll, SlurmSubmission? last,
        IProgress<SweepRunStatus>? runFinished, CancellationToken cancellationToken)
    {
        var reported = new HashSet<(int, int?, SweepRunState)>();
        while (!cancellationToken.IsCancellationRequested)
        {
            var statuses = Status(folder, cancellationToken);
            foreach (var s in statuses.Where(s => s.State is SweepRunState.Done or SweepRunState.Failed))
                if (reported.Add((s.Index, s.Rung, s.State))) runFinished?.Report(s);
            if (SweepSearch.CurrentRung(folder, SweepSearch.Advance(folder, statuses)) is null) break;
            if (cancellationToken.WaitHandle.WaitOne(poll)) break;
            last = SlurmSweepRunner.Submit(folder, herTools) ?? last;
        }
        return last;
    }

    /// <summary>Every run's status from its folder and, for a sweep submitted to Slurm, the queue (and <c>sacct</c> for runs
    /// whose task vanished); <c>sweep.csv</c> is rebuilt on the way.</summary>
    public static IReadOnlyList<SweepRunStatus> Status(SweepFolder folder, CancellationToken cancellationToken = default) =>
        SlurmSweepRunner.Status(folder, cancellationToken);

    /// <summary>True when the sweep was submitted to Slurm at least once (only such a sweep can be stopped from outside).</summary>
    public static bool IsOnSlurm(SweepFolder folder) => SlurmSweepRunner.JobIds(folder).Count > 0;

    /// <summary>Cancels the sweep's queued and running Slurm tasks; running ones write a checkpoint and stop. Returns the
    /// job ids cancelled. A local sweep stops through the cancellation token of the process running it.</summary>
    /// <exception cref="SweepException">The sweep was never submitted to Slurm, or <c>scancel</c> failed.</exception>
    public static IReadOnlyList<string> Stop(SweepFolder folder)
    {
        if (!IsOnSlurm(folder))
            throw new SweepException($"{folder.Directory} was never submitted to Slurm; a local sweep stops with Ctrl+C in the process running it");
        return SlurmSweepRunner.Stop(folder);
    }
}
