using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public sealed class TrainingRequestTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-request-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string Dir(string name) => Path.Combine(_root, name);

    private static readonly string[] Tiny =
        ["threads=1", "total_timesteps=200", "ddpg.learning_starts=100", "eval.eval_freq=100", "eval.n_eval_episodes=2", "log.log_interval=100"];

    private static TrainingResult Train(TrainingRequest request, bool stopAtOnce = false)
    {
        using var stop = new CancellationTokenSource();
        if (stopAtOnce) stop.Cancel();
        return HerTrainer.Train(request, cancellationToken: stop.Token);
    }

    [Fact]
    public void A_resume_trains_to_the_budget_of_the_checkpoint_not_of_an_outdated_config_yaml()
    {
        string run = Dir("run");
        Train(new TrainingRequest { Preset = "point_goal", Overrides = Tiny, Output = run });
        // Resumed to 300 but stopped at once: the checkpoint at 200 now carries the budget 300.
        Train(new TrainingRequest { Resume = run, TotalTimesteps = 300 }, stopAtOnce: true);
        File.WriteAllText(RunFiles.ConfigPath(run), File.ReadAllText(RunFiles.ConfigPath(run)).Replace("total_timesteps: 300", "total_timesteps: 200"));

        var plan = new TrainingRequest { Resume = run }.Resolve();

        Assert.Equal(300, plan.Config.TotalTimesteps);
        Assert.Equal(Path.GetFullPath(run), plan.RunDirectory);
        var result = Train(new TrainingRequest { Resume = run });
        Assert.Equal(300, result.Timesteps);
        Assert.Contains("total_timesteps: 300\n", File.ReadAllText(RunFiles.ConfigPath(run)));
    }

    [Fact]
    public void A_budget_below_the_checkpoints_step_is_refused_before_anything_is_written()
    {
        string run = Dir("run");
        var first = Train(new TrainingRequest { Preset = "point_goal", Overrides = Tiny, Output = run });
        var before = Directory.GetFileSystemEntries(run, "*", SearchOption.AllDirectories).Order().ToList();

        var e = Assert.Throws<ConfigException>(() => Train(new TrainingRequest { Resume = run, TotalTimesteps = 150 }));

        Assert.Equal("total_timesteps", e.Key);
        Assert.Contains("below step 200", e.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(run, "*", SearchOption.AllDirectories).Order().ToList());
        Assert.Equal(200, CheckpointStore.Latest(run)!.Step);
        Assert.Equal(first.LastCheckpointPath, CheckpointStore.Latest(run)!.Path);
    }

    [Fact]
    public void A_checkpoint_copied_out_of_its_run_resumes_only_into_a_folder_given_explicitly()
    {
        string run = Dir("run");
        var first = Train(new TrainingRequest { Preset = "point_goal", Overrides = Tiny, Output = run });
        string copy = Dir(Path.Combine("loose", "copied"));
        CopyFolder(first.LastCheckpointPath!, copy);

        var e = Assert.Throws<RunRequestException>(() => new TrainingRequest { Resume = copy, TotalTimesteps = 300 }.Resolve());
        Assert.Contains("not inside a run's checkpoints/ folder", e.Message);
        Assert.Empty(Directory.GetFiles(Dir("loose")));

        var branched = Train(new TrainingRequest { Resume = copy, TotalTimesteps = 300, Output = Dir("branch") });
        Assert.Equal(300, branched.Timesteps);
        Assert.Equal(Path.GetFullPath(Dir("branch")), branched.RunDirectory);
    }

    [Fact]
    public void A_run_killed_before_its_first_checkpoint_starts_again_with_its_partial_logs_set_aside()
    {
        string run = Dir("run");
        Train(new TrainingRequest { Preset = "point_goal", Overrides = Tiny, Output = run });
        // What a kill before the first step checkpoint leaves: logs, config.yaml, perhaps a best checkpoint, no step_N.
        foreach (var step in CheckpointStore.List(run).Where(c => !c.IsBest)) Directory.Delete(step.Path, recursive: true);
        var oldRows = File.ReadAllText(RunFiles.ProgressPath(run));

        var plan = new TrainingRequest { Resume = run }.Resolve();
        Assert.True(plan.RestartsFromTheStart);
        using (var session = TrainingSession.Open(plan))
        {
            Assert.NotNull(session.PartialLogsSetAside);
            Assert.Equal(oldRows, File.ReadAllText(Path.Combine(session.PartialLogsSetAside, "progress.csv")));
            var result = session.Run();
            Assert.Equal(TrainingStatus.Completed, result.Status);
        }
        Assert.Equal([100L, 200L], CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(run)).Select(r => r.Timesteps));
        Assert.Equal(200, CheckpointStore.Latest(run)!.Step);
    }

    [Fact]
    public void A_second_training_of_one_run_is_refused_while_the_first_holds_it()
    {
        string run = Dir("run");
        var plan = new TrainingRequest { Preset = "point_goal", Overrides = Tiny, Output = run }.Resolve();
        using (var first = TrainingSession.Open(plan))
        {
            Assert.Throws<RunLockedException>(() => TrainingSession.Open(plan));
            first.Run();
        }

        using var resumed = TrainingSession.Open(new TrainingRequest { Resume = run, TotalTimesteps = 300 }.Resolve());
        var e = Assert.Throws<RunLockedException>(() => TrainingSession.Open(new TrainingRequest { Resume = run, TotalTimesteps = 300 }.Resolve()));
        Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", e.Message);
    }

    [Fact]
    public void Config_sources_are_exclusive_and_one_is_needed_unless_resuming()
    {
        Assert.Throws<RunRequestException>(() => new TrainingRequest { Preset = "point_goal", ConfigPath = "x.yaml" }.Resolve());
        Assert.Contains("--preset NAME", Assert.Throws<RunRequestException>(() => new TrainingRequest { Seed = 3 }.Resolve()).Message);
    }

    [Fact]
    public void A_default_folder_is_named_after_the_preset_and_the_seed_under_the_runs_root()
    {
        var plan = new TrainingRequest { Preset = "point_goal", Seed = 4, RunsRoot = Dir("runs") }.Resolve();
        Assert.Equal(RunFolderClaim.Default, plan.Claim);
        Assert.Matches(@"^point_goal-seed4-\d{8}-\d{6}$", Path.GetFileName(plan.RunDirectory));
        Assert.Equal(Path.GetFullPath(Dir("runs")), Path.GetDirectoryName(plan.RunDirectory));
        Assert.False(Directory.Exists(Dir("runs")));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
