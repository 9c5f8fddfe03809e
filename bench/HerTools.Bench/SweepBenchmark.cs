using System.Diagnostics;
using HerTools.Core.Sweeps;

namespace HerTools.Bench;

/// <summary>
/// <c>sweep [--runs N] [--backend local|slurm|both] [--her-tools PATH]</c>: a sweep of N very short PointGoal-v0 runs
/// (one at a time, so the figures add up), and prints <c>sweep_overhead_s_per_run_local=</c> and
/// <c>sweep_overhead_s_per_run_slurm=</c>: the sweep's wall time (making the folder, submitting, scheduling, starting
/// each task's process, collecting) minus the runs' own training time (each run's <c>status.json</c> start to end),
/// divided by N. The Slurm backend needs a Slurm that answers (<c>scripts/slurm-local.sh</c>) and a built her-tools
/// (default: the repository's <c>src/HerTools.Cli/bin/Release</c> build, else Debug).
/// </summary>
public static class SweepBenchmark
{
    public static int Run(BenchArgs args)
    {
        int runs = args.Int("runs", 8);
        string backend = args.String("backend", "both");
        string? herTools = args.String("her-tools", "") is { Length: > 0 } given ? given : null;
        args.EnsureAllUsed();
        if (backend is not ("local" or "slurm" or "both")) throw new ArgumentException("--backend: local, slurm or both");

        string root = Path.Combine(Path.GetTempPath(), $"hertools-bench-sweep-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            string file = Path.Combine(root, "sweep.yaml");
            File.WriteAllText(file, $$"""
                preset: point_goal
                set:
                  total_timesteps: 200
                  ddpg.learning_starts: 100
                  eval.eval_freq: 0
                  eval.n_eval_episodes: 5
                  log.log_interval: 100
                seeds: [{{string.Join(", ", Enumerable.Range(0, runs))}}]
                local: {throttle: 1}
                slurm: {max_concurrent: 1}
                """);
            BenchArgs.Print("sweep_runs", runs);
            if (backend is "local" or "both")
            {
                var clock = Stopwatch.StartNew();
                var folder = SweepFolder.Create(SweepLoader.LoadFile(file), Path.Combine(root, "local"));
                var statuses = LocalSweepRunner.Run(folder);
                Report("local", clock.Elapsed.TotalSeconds, statuses);
            }
            if (backend is "slurm" or "both")
            {
                if (!SlurmSweepRunner.IsAvailable())
                {
                    Console.Error.WriteLine("sweep: no Slurm answers here (sinfo); start one with scripts/slurm-local.sh");
                    return 1;
                }
                string tool = herTools ?? FindHerTools();
                var clock = Stopwatch.StartNew();
                var folder = SweepFolder.Create(SweepLoader.LoadFile(file), Path.Combine(root, "slurm"));
                SlurmSweepRunner.Submit(folder, [tool]);
                IReadOnlyList<SweepRunStatus> statuses;
                while (true)
                {
                    statuses = SlurmSweepRunner.Status(folder);
                    if (statuses.All(s => s.SchedulerState is null && s.State != SweepRunState.Running)) break;
                    Thread.Sleep(100);
                }
                Report("slurm", clock.Elapsed.TotalSeconds, statuses);
            }
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static void Report(string backend, double wallSeconds, IReadOnlyList<SweepRunStatus> statuses)
    {
        if (statuses.Any(s => s.State != SweepRunState.Done))
            throw new InvalidOperationException($"{backend}: not every run finished: " +
                $"{string.Join("; ", statuses.Where(s => s.State != SweepRunState.Done).Select(s => $"{s.RunId} {s.State} {s.Error}"))}");
        double own = statuses.Sum(s => SweepRunRecord.Read(s.RunDirectory) is { StartedUtc: { } start, EndedUtc: { } end } ? (end - start).TotalSeconds : 0);
        BenchArgs.Print($"sweep_wall_s_{backend}", wallSeconds);
        BenchArgs.Print($"sweep_runs_own_s_{backend}", own);
        BenchArgs.Print($"sweep_overhead_s_per_run_{backend}", (wallSeconds - own) / statuses.Count);
    }

    internal static string FindHerTools()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "HerTools.sln"))) continue;
            foreach (string configuration in new[] { "Release", "Debug" })
            {
                string candidate = Path.Combine(dir.FullName, "src", "HerTools.Cli", "bin", configuration, "net10.0", "her-tools");
                if (File.Exists(candidate)) return candidate;
            }
            break;
        }
        throw new FileNotFoundException("no built her-tools found; build src/HerTools.Cli or give --her-tools PATH");
    }
}
