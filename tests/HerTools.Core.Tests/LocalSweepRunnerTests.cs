using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public sealed class LocalSweepRunnerTests : IDisposable
{
    // A budget that trains for real (learning starts at 100) in well under a second per run.
    private const string Tiny = """
        preset: point_goal
        set:
          total_timesteps: 400
          ddpg.learning_starts: 100
          ddpg.batch_size: 32
          ddpg.hidden_sizes: [16, 16]
          eval.eval_freq: 200
          eval.n_eval_episodes: 5
          log.log_interval: 100
        """;

    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SweepFolder Create(string yaml, string name = "out") =>
        SweepFolder.Create(SweepLoader.LoadFile(_files.Write(name + ".yaml", yaml)), Path.Combine(_files.Root, name));

    private static List<ProgressRow> Progress(string runDirectory) =>
        CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory)).Select(r => r.WithoutWallClock()).ToList();

    [Fact]
    public void A_sweep_over_the_learner_key_trains_each_learner()
    {
        // algo is an ordinary key: a grid over it needs no special case. SAC takes no action L2 (the preset's is 0.1).
        var folder = Create(Tiny + "\n  ddpg.action_l2: 0\ngrid:\n  algo: [her, td3_her, sac_her]\nseeds: [1]\n", "learners");
        var statuses = LocalSweepRunner.Run(folder);

        Assert.All(statuses, s => Assert.Equal(SweepRunState.Done, s.State));
        var learners = folder.Runs.Select(r => File.ReadAllText(Path.Combine(folder.RunDirectory(r), "config.yaml"))).ToList();
        Assert.Contains(learners, yaml => yaml.Contains("algo: her\n") && !yaml.Contains("td3:") && !yaml.Contains("sac:"));
        Assert.Contains(learners, yaml => yaml.Contains("algo: td3_her\n") && yaml.Contains("td3:\n  policy_delay: 2\n"));
        Assert.Contains(learners, yaml => yaml.Contains("algo: sac_her\n") && yaml.Contains("sac:\n  ent_coef: auto\n"));
        var schemas = folder.Runs.Select(r => Progress(folder.RunDirectory(r))[0].SchemaVersion).Order().ToList();
        Assert.Equal([1, 1, 2], schemas);
    }

    [Fact]
    public void Two_grid_points_by_two_seeds_all_finish_each_as_if_trained_alone()
    {
        var folder = Create(Tiny + "\ngrid:\n  her.her_ratio: [0.0, 0.8]\nseeds: [1, 2]\nlocal: {throttle: 2}\n");
        var finished = new List<string>();
        var statuses = LocalSweepRunner.Run(folder, runFinished: new SynchronousProgress<SweepRunStatus>(s => { lock (finished) finished.Add(s.RunId); }));

        Assert.Equal(4, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.All(statuses, s => Assert.Equal(400, s.Timesteps));
        Assert.All(statuses, s => Assert.NotNull(s.FinalEvalSuccessRate));
        Assert.Equal(folder.Runs.Select(r => r.RunId).Order(), finished.Order());
        string[] csv = File.ReadAllLines(folder.SummaryPath);
        Assert.Equal(5, csv.Length);
        Assert.All(csv.Skip(1), line => Assert.Contains(",done,400,", line));

        // The same run started alone (its own process-wide state, nothing shared) logs the same rows.
        var run = folder.Runs[3];
        string alone = Path.Combine(_files.Root, "alone");
        var result = HerTrainer.TrainHer(folder.Definition.LoadRunConfig(run), alone);
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(Progress(alone).Select(r => r with { RunId = "" }), Progress(folder.RunDirectory(run)).Select(r => r with { RunId = "" }));
        Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(alone)), CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(folder.RunDirectory(run))));

        // Running a finished sweep again trains nothing.
        var before = File.GetLastWriteTimeUtc(RunFiles.ProgressPath(folder.RunDirectory(run)));
        Assert.All(LocalSweepRunner.Run(folder), s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.Equal(before, File.GetLastWriteTimeUtc(RunFiles.ProgressPath(folder.RunDirectory(run))));
    }

    [Fact]
    public void Failing_runs_are_recorded_and_the_others_finish()
    {
        var folder = Create(Tiny + "\ngrid:\n  her.her_ratio: [0.5, 1.5, 0.8]\nseeds: [3]\n");
        // A run whose checkpoint folder is garbage fails at start; the sweep goes on.
        string broken = Path.Combine(folder.RunDirectory(folder.Runs[2]), "checkpoints", "step_100");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "checkpoint.json"), "{ not json");

        var statuses = LocalSweepRunner.Run(folder, throttle: 2);
        Assert.Equal([SweepRunState.Done, SweepRunState.Failed, SweepRunState.Failed], statuses.Select(s => s.State));
        Assert.Equal("override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5", statuses[1].Error);
        Assert.Contains("checkpoint.json", statuses[2].Error);
        Assert.Equal(400, statuses[0].Timesteps);
    }

    [Fact]
    public async Task Cancelling_stops_the_runs_at_a_checkpoint_and_running_again_continues_them_exactly()
    {
        // A budget long enough (seconds) that the watcher's stop, polled every 5 ms, lands mid-run even on a busy machine.
        string yaml = Tiny.Replace("total_timesteps: 400",
            "total_timesteps: 4000") + "\ngrid:\n  her.her_ratio: [0.8]\nseeds: [1, 2, 3]\nlocal: {throttle: 2}\n";
        var folder = Create(yaml);
        using var stop = new CancellationTokenSource();
        using var sweepEnded = new CancellationTokenSource();
        // Stop as soon as the first run has logged its first row: both running runs are mid-way then.
        var watcher = Task.Run(async () =>
        {
            string progress = RunFiles.ProgressPath(folder.RunDirectory(folder.Runs[0]));
            while (!sweepEnded.IsCancellationRequested)
            {
                if (File.Exists(progress) && CsvLog<ProgressRow>.ReadAll(progress).Count > 0) { stop.Cancel(); break; }
                await Task.Delay(5);
            }
        });
        var stopped = LocalSweepRunner.Run(folder, cancellationToken: stop.Token);
        sweepEnded.Cancel();
        await watcher;

        Assert.Equal(SweepRunState.Stopped, stopped[0].State);
        Assert.InRange(stopped[0].Timesteps, 100, 3999);
        Assert.NotNull(stopped[0].LastCheckpoint);
        Assert.Equal(SweepRunState.Pending, stopped[2].State); // never started: the throttle is 2
        Assert.Contains(",stopped,", File.ReadAllText(folder.SummaryPath));

        var resumed = LocalSweepRunner.Run(SweepFolder.Open(folder.Directory));
        Assert.All(resumed, s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.Equal(2, SweepRunRecord.Read(resumed[0].RunDirectory)!.Attempts);
        Assert.NotNull(SweepRunRecord.Read(resumed[0].RunDirectory)!.ResumedFrom);

        // The stopped and resumed run logged what an uninterrupted one logs.
        string alone = Path.Combine(_files.Root, "alone");
        HerTrainer.TrainHer(folder.Definition.LoadRunConfig(folder.Runs[0]), alone);
        Assert.Equal(Progress(alone).Select(r => r with { RunId = "" }), Progress(resumed[0].RunDirectory).Select(r => r with { RunId = "" }));
    }
}
