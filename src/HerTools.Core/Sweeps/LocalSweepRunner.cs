using System.Collections.Concurrent;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Runs a sweep's runs in this process, up to a throttle at a time, each on a thread of its own with its own
/// generators and its config's TorchSharp thread count (1 unless the sweep sets <c>threads</c>), so each run's results
/// equal those of the same run started alone. A failing run is recorded and the others go on. A search (<c>search:</c>)
/// is driven rung by rung: each rung's runs are trained to its budget, then the rung is decided (<see cref="SweepSearch"/>).
/// </summary>
public static class LocalSweepRunner
{
    /// <summary>
    /// Trains every run that is not done (pending, stopped, failed; a stopped run resumes from its latest checkpoint),
    /// at most <paramref name="throttle"/> at a time (default: the sweep's <c>local.throttle</c>), then rebuilds
    /// <c>sweep.csv</c>. Runs another live process is training are left to it. For a search, trains the rung being trained
    /// and every later one the search promotes runs to, until the search ends; failed runs are not tried again there (the
    /// search has already gone on without them). Cancelling <paramref name="cancellationToken"/> stops every run after its
    /// checkpoint (status <c>stopped</c>) and starts no more; calling this again resumes them.
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

        if (folder.Definition.Search is null)
        {
            var todo = folder.ReadStatus().Where(s => s.State is not (SweepRunState.Done or SweepRunState.Running)).Select(s => folder.Runs[s.Index]);
            Train(folder, todo, budget: null, workers, runFinished, cancellationToken);
            return folder.Collect();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            var statuses = folder.ReadStatus();
            var state = SweepSearch.Advance(folder, statuses);
            if (SweepSearch.CurrentRung(folder, state) is not { } rung) break;
            var todo = rung.Runs.Where(i => !SweepSearch.IsIn(statuses[i], rung.Budget) && statuses[i].State != SweepRunState.Running)
                .Select(i => folder.Runs[i]).ToList();
            // What is left of the rung is another live process's to train: its results decide the rung when it is done.
            if (todo.Count == 0) break;
            Train(folder, todo, rung.Budget, workers, runFinished, cancellationToken);
        }
        return folder.Collect();
    }

    /// <summary>Trains <paramref name="runs"/> (to <paramref name="budget"/> when given), <paramref name="workers"/> at a time.</summary>
    private static void Train(SweepFolder folder, IEnumerable<SweepRun> runs, long? budget, int workers, IProgress<SweepRunStatus>? runFinished,
        CancellationToken cancellationToken)
    {
        var todo = new ConcurrentQueue<SweepRun>(runs);
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
                        SweepTask.RunOne(folder, run, budget, progress: null, cancellationToken);
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
    }
}
