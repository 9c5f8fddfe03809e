using System.Globalization;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Trains one run of a sweep in its run folder: what a Slurm array task does (<c>her-tools sweep task DIR INDEX</c>)
/// and what the local runner does for each run. A run with a checkpoint resumes from its latest one (the engine's exact
/// resume), so a preempted, requeued or stopped run loses nothing; a run already done is left as it is. The outcome is
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
    /// <exception cref="SweepException">The folder is not a sweep, has no such run, or another live process on this
    /// host is training the run.</exception>
    public static SweepRunStatus Run(string sweepDirectory, int index, CancellationToken cancellationToken = default,
        IProgress<TrainingProgress>? progress = null)
    {
        var folder = SweepFolder.Open(sweepDirectory);
        var run = folder.Run(index);
        RunOne(folder, run, progress, cancellationToken);
        return folder.Collect()[index];
    }

    /// <summary>Trains one run and records its outcome in <c>status.json</c>.</summary>
    internal static void RunOne(SweepFolder folder, SweepRun run, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        string dir = folder.RunDirectory(run);
        var previous = SweepRunRecord.Read(dir);
        if (previous?.State == SweepRunState.Done) return;
        // Two processes training one folder would interleave their logs and checkpoints.
        if (previous is { State: SweepRunState.Running, SlurmJobId: null } && previous.Pid != Environment.ProcessId
            && SweepFolder.Vanished(previous, task: null, queueKnown: false) is null)
            throw new SweepException($"{dir}: process {previous.Pid} on {previous.Host} is training this run; stop it first");

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

        HerConfig config;
        try { config = folder.Definition.LoadRunConfig(run); }
        catch (ConfigException e)
        {
            End(record, dir, SweepRunState.Failed, e.Message);
            return;
        }

        try
        {
            Directory.CreateDirectory(dir);
            string? resumeFrom = CheckpointStore.Latest(dir)?.Path;
            // Without a checkpoint nothing of an earlier attempt can be continued: its logs go, and it starts afresh.
            if (resumeFrom is null) ClearUnfinishedStart(dir);
            record = record with { ResumedFrom = resumeFrom };
            record.Write(dir);
            var result = HerTrainer.TrainHer(config, dir, progress, cancellationToken, resumeFrom);
            End(record, dir, result.Status == TrainingStatus.Completed ? SweepRunState.Done : SweepRunState.Stopped, null);
        }
        catch (Exception e)
        {
            // The run fails, the sweep goes on: the error is kept in status.json and sweep.csv.
            End(record, dir, SweepRunState.Failed, e is HerToolsException ? e.Message : $"{e.GetType().Name}: {e.Message}");
        }
    }

    private static void End(SweepRunRecord record, string dir, SweepRunState state, string? error) =>
        (record with { State = state, Error = error is null ? null : SweepFolder.OneLine(error), EndedUtc = DateTimeOffset.UtcNow }).Write(dir);

    private static void ClearUnfinishedStart(string dir)
    {
        foreach (string path in new[] { RunFiles.ProgressPath(dir), RunFiles.EvalPath(dir), RunFiles.ConfigPath(dir) })
            File.Delete(path);
    }
}
