using System.Globalization;
using HerTools.Core.Config;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Trains one run of a sweep in its run folder: what a Slurm array task does (<c>her-tools sweep task DIR INDEX</c>)
/// and what the local runner does for each run. A run with a checkpoint resumes from its latest one (the engine's exact
/// resume), so a preempted, requeued or stopped run loses nothing, and a run a search promotes continues to the next
/// rung's budget; a run already done (at the budget asked for) is left as it is. The outcome is
/// written to the run's <c>status.json</c>; a failure is recorded there, not thrown.
/// </summary>
public static class SweepTask
{
    /// <summary>
    /// Trains run <paramref name="index"/> of the sweep in <paramref name="sweepDirectory"/>, then rebuilds
    /// <c>sweep.csv</c>. Cancelling <paramref name="cancellationToken"/> (the front end maps SIGTERM to it) writes a
    /// checkpoint and ends the run <see cref="SweepRunState.Stopped"/>.
    /// </summary>
    /// <returns>The run's status afterwards: <see cref="SweepRunState.Done"/>, <see cref="SweepRunState.Stopped"/> or
    /// <see cref="SweepRunState.Failed"/> (with its error).</returns>
    /// <exception cref="SweepException">The folder is not a sweep or has no such run.</exception>
    /// <exception cref="RunLockedException">Another process (on any host sharing the folder) is training the run.</exception>
    public static SweepRunStatus Run(string sweepDirectory, int index, CancellationToken cancellationToken = default,
        IProgress<TrainingProgress>? progress = null)
    {
        var folder = SweepFolder.Open(sweepDirectory);
        var run = folder.Run(index);
        if (folder.Definition.Search is null) RunOne(folder, run, budget: null, progress, cancellationToken);
        // A search's task trains its run to the rung being trained; a run the search has no more training for is left as it is.
        else if (SweepSearch.TargetBudget(folder, run) is long budget) RunOne(folder, run, budget, progress, cancellationToken);
        return folder.Collect()[index];
    }

    /// <summary>Trains one run (to <paramref name="budget"/>, a search's rung, when given; else to its config's budget) and
    /// records its outcome in <c>status.json</c>. A run done at that budget already is left as it is.</summary>
    internal static void RunOne(SweepFolder folder, SweepRun run, long? budget, IProgress<TrainingProgress>? progress,
        CancellationToken cancellationToken)
    {
        string dir = folder.RunDirectory(run);
        var previous = SweepRunRecord.TryRead(dir);
        if (previous?.State == SweepRunState.Done && (budget is null || previous.TotalTimesteps >= budget)) return;

        var record = new SweepRunRecord
        {
            State = SweepRunState.Running,
            StartedUtc = DateTimeOffset.UtcNow,
            Attempts = (previous?.Attempts ?? 0) + 1,
            Host = Environment.MachineName,
            Pid = Environment.ProcessId,
            SlurmJobId = Environment.GetEnvironmentVariable("SLURM_JOB_ID"),
            SlurmArrayJobId = Environment.GetEnvironmentVariable("SLURM_ARRAY_JOB_ID"),
            SlurmArrayTaskId = int.TryParse(Environment.GetEnvironmentVariable("SLURM_ARRAY_TASK_ID"), NumberStyles.Integer, CultureInfo.InvariantCulture,
                out int task) ? task : null,
        };

        TrainingSession session;
        try
        {
            var config = budget is long b ? folder.Definition.LoadRunConfig(run, b) : folder.Definition.LoadRunConfig(run);
            record = record with { TotalTimesteps = config.TotalTimesteps };
            // The run folder's rules decide: a started run continues from its latest checkpoint, or starts again with its
            // partial logs set aside when it never reached one; a new run starts.
            var plan = new TrainingRequest { Config = config, Output = dir, ContinueIfStarted = true }.Resolve();
            session = TrainingSession.Open(plan);
        }
        // Another process trains this run: its status.json is its own, left as it is.
        catch (RunLockedException) { throw; }
        catch (Exception e) when (e is HerToolsException or IOException or UnauthorizedAccessException)
        {
            End(record, dir, SweepRunState.Failed, e.Message);
            return;
        }

        using (session)
        {
            try
            {
                record = record with { ResumedFrom = session.ResumeFrom };
                record.Write(dir);
                var result = session.Run(progress, cancellationToken);
                End(record, dir, result.Status == TrainingStatus.Completed ? SweepRunState.Done : SweepRunState.Stopped, null);
            }
            catch (Exception e)
            {
                // The run fails, the sweep goes on: the error is kept in status.json and sweep.csv.
                End(record, dir, SweepRunState.Failed, e is HerToolsException ? e.Message : $"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    private static void End(SweepRunRecord record, string dir, SweepRunState state, string? error) =>
        (record with { State = state, Error = error is null ? null : SweepFolder.OneLine(error), EndedUtc = DateTimeOffset.UtcNow }).Write(dir);
}
