using System.Collections.Concurrent;
using HerTools.Core.Training;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Runs a sweep's runs in this process, up to a throttle at a time, each on a thread of its own with its own
/// generators and its config's TorchSharp thread count (1 unless the sweep sets <c>threads</c>), so each run's results
/// equal those of the same run started alone. A failing run is recorded and the others go on.
/// </summary>
public static class LocalSweepRunner
{
    /// <summary>
    /// Trains every run that is not done (pending, stopped, failed; a stopped run resumes from its latest checkpoint),
    /// at most <paramref name="throttle"/> at a time (default: the sweep's <c>local.throttle</c>), then rebuilds
    /// <c>sweep.csv</c>. Runs another live process is training are left to it. Cancelling
    /// <paramref name="cancellationToken"/> stops every run after its checkpoint (status <c>stopped</c>) and starts no
    /// more; calling this again resumes them.
    /// </summary>
    /// <param name="folder">The sweep.</param>
    /// <param name="throttle">Runs at a time; null: the sweep's setting.</param>
    /// <param name="runFinished">Told of each run's status as it ends (called from the run's thread).</param>
    /// <param name="cancellationToken">Stops the sweep.</param>
    /// <returns>Every run's status afterwards, as <c>sweep.csv</c> has it.</returns>
    public static IReadOnlyList<SweepRunStatus> Run(SweepFolder folder, int? throttle = null,
        IProgress<SweepRunStatus>? runFinished = null, CancellationToken cancellationToken = default)
    {
        int workers = throttle ?? folder.Definition.Local.EffectiveThrottle;
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(throttle), throttle, "must be at least 1");

        var todo = new ConcurrentQueue<SweepRun>(
            folder.ReadStatus().Where(s => s.State is not (SweepRunState.Done or SweepRunState.Running)).Select(s => folder.Runs[s.Index]));
        var threads = new List<Thread>();
        var crashes = new ConcurrentBag<Exception>();
        for (int i = 0; i < Math.Min(workers, todo.Count); i++)
        {
            var thread = new Thread(() =>
            {
                try
                {
                    while (!cancellationToken.IsCancellationRequested && todo.TryDequeue(out var run))
                    {
                        SweepTask.RunOne(folder, run, progress: null, cancellationToken);
                        runFinished?.Report(folder.ReadRunStatus(run));
                    }
                }
                catch (Exception e) { crashes.Add(e); }
            })
            { Name = $"sweep worker {i}", IsBackground = false };
            threads.Add(thread);
            thread.Start();
        }
        foreach (var thread in threads) thread.Join();
        // RunOne records every training failure itself; what lands here is the sweep folder itself failing (disk full...).
        if (crashes.TryPeek(out var crash))
            throw new SweepException($"{folder.Directory}: a sweep worker failed outside any run: {crash.Message}", crash);
        return folder.Collect();
    }
}
