using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>The search of 8 configurations x 2 seeds x 3 rungs that <see cref="SweepSearchTests"/> checks, run once.</summary>
public sealed class SearchReference : IDisposable
{
    // Rungs on evaluation steps (every 100); learning starts at 100, so every rung trains for real, and the whole search
    // (16 runs x 200 + 8 x 200 + 4 x 400 = 6,400 steps) takes seconds.
    public const string Yaml = """
        preset: point_goal
        set:
          ddpg.learning_starts: 100
          ddpg.batch_size: 32
          ddpg.hidden_sizes: [16, 16]
          eval.eval_freq: 100
          eval.n_eval_episodes: 5
          log.log_interval: 100
        grid:
          ddpg.actor_lr: [0.0003, 0.003]
          her.n_sampled_goal: [1, 4]
          ddpg.gamma: [0.9, 0.95]
        seeds: [1, 2]
        search:
          rungs: [200, 400, 800]
          reduction_factor: 2
        local: {throttle: 2}
        """;

    public SearchReference()
    {
        Folder = SweepFolder.Create(SweepLoader.LoadFile(Files.Write("search.yaml", Yaml)), Path.Combine(Files.Root, "reference"));
        Statuses = LocalSweepRunner.Run(Folder);
    }

    internal SweepTestFiles Files { get; } = new();
    public SweepFolder Folder { get; }
    public IReadOnlyList<SweepRunStatus> Statuses { get; }

    public void Dispose() => Files.Dispose();
}

public sealed class SweepSearchTests(SearchReference reference) : IClassFixture<SearchReference>, IDisposable
{
    private static readonly long[] Rungs = [200, 400, 800];
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private static EvalRow EvalAt(string runDirectory, long step) =>
        CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(runDirectory)).Single(r => r.Timesteps == step);

    private static List<ProgressRow> Progress(string runDirectory) =>
        CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory)).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();

    /// <summary>Every run's logs, without the wall clock: what a search's outcome is made of.</summary>
    private static List<string> Logs(SweepFolder folder) => folder.Runs.SelectMany(run =>
    {
        string dir = folder.RunDirectory(run);
        return Progress(dir).Select(r => r.ToString()).Concat(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(dir)).Select(r => r.ToString()));
    }).ToList();

    [Fact]
    public void Eight_configurations_by_two_seeds_train_exactly_the_runs_successive_halving_selects()
    {
        var folder = reference.Folder;
        var state = SearchState.Read(folder.Directory);
        Assert.Equal([8, 4, 2], state.Rungs.Select(r => r.Trials.Count));
        Assert.Equal([4, 2, 1], state.Rungs.Select(r => r.Keep));

        // The rule, from the logs: a configuration's score is the mean over its two seeds of the evaluation at the rung's
        // budget; ties go to the higher mean return, then the lower configuration; the best half goes on.
        IEnumerable<int> entered = Enumerable.Range(0, 8);
        for (int k = 0; k < 3; k++)
        {
            long budget = Rungs[k];
            var ranked = entered.Select(c => (Config: c,
                    Score: (EvalAt(folder.RunDirectory(folder.Runs[2 * c]), budget).SuccessRate
                        + EvalAt(folder.RunDirectory(folder.Runs[2 * c + 1]), budget).SuccessRate) / 2,
                    Return: (EvalAt(folder.RunDirectory(folder.Runs[2 * c]), budget).MeanReturn
                        + EvalAt(folder.RunDirectory(folder.Runs[2 * c + 1]), budget).MeanReturn) / 2))
                .OrderByDescending(t => t.Score).ThenByDescending(t => t.Return).ThenBy(t => t.Config).ToList();
            Assert.Equal(ranked.Select(t => t.Config), state.Rungs[k].Trials.Select(t => t.Trial));
            Assert.Equal(ranked.Select(t => (double?)t.Score), state.Rungs[k].Trials.Select(t => t.Score));
            entered = ranked.Take(k == 2 ? 1 : ranked.Count / 2).Select(t => t.Config).ToList();
        }
        Assert.Equal(entered.Single(), state.ChosenTrial);

        // Each run trained exactly to the last rung its configuration entered, and no further.
        foreach (var status in reference.Statuses)
        {
            int config = status.Index / 2;
            int lastRung = state.Rungs.ToList().FindLastIndex(r => r.Trials.Any(t => t.Trial == config));
            Assert.Equal(SweepRunState.Done, status.State);
            Assert.Equal(Rungs[lastRung], status.Timesteps);
            Assert.Equal(Rungs[lastRung], CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(status.RunDirectory))[^1].Timesteps);
            Assert.Equal(lastRung, status.Rung);
            Assert.Equal(state.Rungs[lastRung].Trials.Single(t => t.Trial == config).Decision, status.Decision);
        }
        Assert.Equal(16 * 200 + 8 * 200 + 4 * 400, reference.Statuses.Sum(s => s.Timesteps));
        Assert.Equal(2, reference.Statuses.Count(s => s.Decision == SearchDecision.Chosen));
        Assert.Equal(8, reference.Statuses.Count(s => s.Decision == SearchDecision.Stopped && s.Rung == 0));

        // sweep.csv says the same.
        string[] csv = File.ReadAllLines(folder.SummaryPath);
        Assert.EndsWith(",rung,rung_budget,score,decision", csv[0]);
        string chosenScore = state.Rungs[2].Trials[0].Score!.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(2, csv.Count(l => l.EndsWith($",2,800,{chosenScore},chosen")));
    }

    [Fact]
    public void Configurations_csv_has_each_configurations_mean_and_95_percent_interval_over_its_seeds()
    {
        var folder = reference.Folder;
        string[] lines = File.ReadAllLines(Path.Combine(folder.Directory, SweepConfigurations.FileName));
        Assert.Equal("configuration,ddpg.actor_lr,her.n_sampled_goal,ddpg.gamma,runs,done,final_eval_success_mean,final_eval_success_low," +
            "final_eval_success_high,best_eval_success_mean,best_eval_success_low,best_eval_success_high,threshold_reached," +
            "steps_to_threshold_mean,steps_to_threshold_low,steps_to_threshold_high", lines[0]);
        Assert.Equal(9, lines.Length);

        var summaries = SweepConfigurations.Summarize(folder, reference.Statuses);
        for (int c = 0; c < 8; c++)
        {
            double a = reference.Statuses[2 * c].FinalEvalSuccessRate!.Value, b = reference.Statuses[2 * c + 1].FinalEvalSuccessRate!.Value;
            var final = summaries[c].FinalEvalSuccess!;
            Assert.Equal((a + b) / 2, final.Mean, 12);
            // Two seeds: mean +- t(0.975, 1) x |a - b| / 2.
            Assert.Equal((a + b) / 2 - 12.7062047 * Math.Abs(a - b) / 2, final.Low!.Value, 9);
            Assert.Equal((a + b) / 2 + 12.7062047 * Math.Abs(a - b) / 2, final.High!.Value, 9);
            Assert.StartsWith($"{c},{folder.Runs[2 * c].Point[0].Value},", lines[c + 1]);
        }
    }

    [Fact]
    public void A_mean_interval_uses_students_t_for_few_values()
    {
        // 0.2, 0.4, 0.9: mean 0.5, sd sqrt(0.13), t(0.975, 2) = 4.30265: half width 4.30265 x sqrt(0.13 / 3) = 0.89567.
        var interval = MeanInterval.Of([0.2, 0.4, 0.9])!;
        Assert.Equal(0.5, interval.Mean, 12);
        Assert.Equal(0.5 - 0.895669, interval.Low!.Value, 5);
        Assert.Equal(0.5 + 0.895669, interval.High!.Value, 5);
        Assert.Equal(new MeanInterval(1, 0.7, null, null), MeanInterval.Of([0.7]));
        Assert.Null(MeanInterval.Of([]));
        Assert.Equal(1.984, MeanInterval.TQuantile975(100), 3); // tables give 1.98397
    }

    [Fact]
    public void A_run_promoted_twice_logs_what_the_same_run_trained_straight_to_the_last_rung_logs()
    {
        var folder = reference.Folder;
        var run = folder.Runs[2 * SearchState.Read(folder.Directory).ChosenTrial!.Value + 1];
        string promoted = folder.RunDirectory(run);
        Assert.Equal(3, SweepRunRecord.Read(promoted)!.Attempts); // trained to 200, continued to 400, then to 800

        string straight = Path.Combine(_files.Root, "straight");
        var result = HerTrainer.TrainHer(folder.Definition.LoadRunConfig(run, 800), straight);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(Progress(straight), Progress(promoted));
        Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(straight)), CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(promoted)));
        Assert.Equal(File.ReadAllBytes(Path.Combine(result.LastCheckpointPath!, "agent.bin")),
            File.ReadAllBytes(Path.Combine(CheckpointStore.Latest(promoted)!.Path, "agent.bin")));
    }

    [Fact]
    public void Stopping_the_search_at_a_random_moment_and_resuming_it_changes_nothing_in_its_outcome()
    {
        // Stop after a random number of finished trainings (28 in all), with the other worker mid-run, then resume; twice.
        var folder = SweepFolder.Create(SweepLoader.LoadFile(_files.Write("search.yaml", SearchReference.Yaml)),
            Path.Combine(_files.Root, "stopped"));
        int[] stops = [Random.Shared.Next(1, 14), Random.Shared.Next(14, 27)];
        int finished = 0;
        foreach (int stopAfter in stops)
        {
            using var stop = new CancellationTokenSource();
            LocalSweepRunner.Run(SweepFolder.Open(folder.Directory), runFinished: new SynchronousProgress<SweepRunStatus>(_ =>
            {
                if (Interlocked.Increment(ref finished) >= stopAfter) stop.Cancel();
            }), cancellationToken: stop.Token);
            Assert.True(SearchState.Read(folder.Directory).ChosenTrial is null, $"the search ended before the stop after {stopAfter} trainings");
        }
        var resumed = LocalSweepRunner.Run(SweepFolder.Open(folder.Directory));

        string stopsText = string.Join(", ", stops);
        Assert.True(File.ReadAllText(Path.Combine(reference.Folder.Directory, SearchState.FileName))
            == File.ReadAllText(Path.Combine(folder.Directory, SearchState.FileName)), $"search.json differs after stops at {stopsText}");
        Assert.Equal(reference.Statuses.Select(s => (s.State, s.Timesteps, s.Rung, s.Decision)),
            resumed.Select(s => (s.State, s.Timesteps, s.Rung, s.Decision)));
        Assert.Equal(Logs(reference.Folder), Logs(folder));
    }

    [Fact]
    public void A_failed_run_is_reported_and_the_search_goes_on_without_it()
    {
        // Configuration 1 fails as the folder is made (a value its key refuses); configuration 2 fails when promoted.
        string yaml = SearchReference.Yaml
            .Replace("""
                grid:
                  ddpg.actor_lr: [0.0003, 0.003]
                  her.n_sampled_goal: [1, 4]
                  ddpg.gamma: [0.9, 0.95]
                seeds: [1, 2]
                """, "grid:\n  her.her_ratio: [0.5, 1.5, 0.8, 0.2]\nseeds: [3]")
            .Replace("rungs: [200, 400, 800]", "rungs: [200, 400]");
        var folder = SweepFolder.Create(SweepLoader.LoadFile(_files.Write("failing.yaml", yaml)), Path.Combine(_files.Root, "failing"));
        Assert.Equal(SweepRunState.Failed, folder.ReadStatus()[1].State);

        // Rung 0 only: stop once its three trainable runs are done.
        using var stop = new CancellationTokenSource();
        int done = 0;
        LocalSweepRunner.Run(folder, runFinished: new SynchronousProgress<SweepRunStatus>(_ => { if (++done == 3) stop.Cancel(); }),
            cancellationToken: stop.Token);
        var rung0 = SweepSearch.Advance(folder, folder.ReadStatus()).Rungs.Single();
        Assert.Equal(SearchDecision.Failed, rung0.Trials.Single(t => t.Trial == 1).Decision);
        Assert.Contains("her.her_ratio", rung0.Trials.Single(t => t.Trial == 1).Error);
        var promoted = rung0.Trials.Where(t => t.Decision == SearchDecision.Promoted).Select(t => t.Trial).ToList();
        Assert.Equal(2, promoted.Count); // floor(4 / 2): the failed trial counts among those that entered

        // Break the checkpoint the first promoted run continues from: it fails at rung 1, the other one is chosen.
        string checkpoint = CheckpointStore.Latest(folder.RunDirectory(folder.Runs[promoted[0]]))!.Path;
        File.WriteAllText(Path.Combine(checkpoint, CheckpointStore.ManifestFileName), "{ not json");
        var statuses = LocalSweepRunner.Run(SweepFolder.Open(folder.Directory));

        var state = SearchState.Read(folder.Directory);
        Assert.Equal(promoted[1], state.ChosenTrial);
        Assert.Equal(SweepRunState.Failed, statuses[promoted[0]].State);
        Assert.Equal(SearchDecision.Failed, statuses[promoted[0]].Decision);
        Assert.Contains(CheckpointStore.ManifestFileName, statuses[promoted[0]].Error);
        Assert.Equal(400, statuses[promoted[1]].Timesteps);
        Assert.Equal(SearchDecision.Chosen, statuses[promoted[1]].Decision);
    }
}
