using HerTools.Core.Runs;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;

namespace HerTools.Core.Tests;

public sealed class SweepFolderTests : IDisposable
{
    private const string BadOverrideError = "override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5";
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private string SweepDir => Path.Combine(_files.Root, "out");

    private SweepFolder CreateRatioSweep() => SweepFolder.Create(SweepLoader.LoadFile(_files.Write("sweep.yaml",
        "preset: point_goal\ngrid:\n  her.her_ratio: [0.5, 1.5]\nseeds: [1, 2]\nsuccess_threshold: 0.5\n")), SweepDir);

    [Fact]
    public void Create_lays_out_the_definition_the_runs_and_their_folders()
    {
        var folder = CreateRatioSweep();
        Assert.True(File.Exists(Path.Combine(SweepDir, "sweep.yaml")));
        Assert.True(Directory.Exists(Path.Combine(SweepDir, "runs")));
        Assert.Equal("""
            index,run_id,her.her_ratio,seed
            0,r000-her_ratio=0.5-seed=1,0.5,1
            1,r001-her_ratio=0.5-seed=2,0.5,2
            2,r002-her_ratio=1.5-seed=1,1.5,1
            3,r003-her_ratio=1.5-seed=2,1.5,2

            """.Replace("\r\n", "\n"), File.ReadAllText(Path.Combine(SweepDir, "runs.csv")));
        Assert.Equal(4, folder.Runs.Count);
        Assert.Equal(Path.Combine(SweepDir, "runs", "r001-her_ratio=0.5-seed=2"), folder.RunDirectory(folder.Runs[1]));
        var reopened = SweepFolder.Open(SweepDir);
        Assert.Equal(folder.Runs.Select(r => (r.RunId, r.Seed, r.Point[0])), reopened.Runs.Select(r => (r.RunId, r.Seed, r.Point[0])));
    }

    [Fact]
    public void A_run_whose_value_its_key_refuses_is_failed_before_anything_runs_and_the_others_stay_pending()
    {
        var folder = CreateRatioSweep();
        var statuses = folder.ReadStatus();
        Assert.Equal([SweepRunState.Pending, SweepRunState.Pending, SweepRunState.Failed, SweepRunState.Failed], statuses.Select(s => s.State));
        Assert.Equal(BadOverrideError, statuses[2].Error);
        Assert.Equal(BadOverrideError.Replace("1.5", "1.5"), SweepRunRecord.Read(folder.RunDirectory(folder.Runs[3]))!.Error);
        // sweep.csv is written at once.
        Assert.Contains($"2,r002-her_ratio=1.5-seed=1,1.5,1,failed,0,,,,,,\"{BadOverrideError}\"", File.ReadAllText(folder.SummaryPath));
    }

    [Fact]
    public void A_task_for_a_run_with_a_bad_value_records_the_failure_and_returns()
    {
        CreateRatioSweep();
        var status = SweepTask.Run(SweepDir, 2);
        Assert.Equal(SweepRunState.Failed, status.State);
        Assert.Equal(BadOverrideError, status.Error);
        var record = SweepRunRecord.Read(status.RunDirectory)!;
        Assert.Equal(1, record.Attempts);
        Assert.Equal(Environment.ProcessId, record.Pid);
        Assert.NotNull(record.EndedUtc);
        Assert.Throws<SweepException>(() => SweepTask.Run(SweepDir, 4));
    }

    [Fact]
    public void Sweep_csv_is_rebuilt_from_the_run_folders_the_same_every_time()
    {
        var folder = CreateRatioSweep();
        string done = Directory.CreateDirectory(folder.RunDirectory(folder.Runs[0])).FullName;
        using (var progress = new CsvLog<ProgressRow>(RunFiles.ProgressPath(done)))
        {
            progress.Append(new ProgressRow { RunId = "r000", Seed = 1, Timesteps = 100, WallTimeSeconds = 1.5 });
            progress.Append(new ProgressRow { RunId = "r000", Seed = 1, Timesteps = 200, WallTimeSeconds = 3.25 });
        }
        // A row a killed writer left half-written is not read.
        File.AppendAllText(RunFiles.ProgressPath(done), "1,r000,1,abc,300,12");
        using (var eval = new CsvLog<EvalRow>(RunFiles.EvalPath(done)))
        {
            eval.Append(new EvalRow { Timesteps = 100, SuccessRate = 0.25 });
            eval.Append(new EvalRow { Timesteps = 200, SuccessRate = 0.75 });
            eval.Append(new EvalRow { Timesteps = 300, SuccessRate = 0.5 });
        }
        new CheckpointStore(done).Save("step_300", new CheckpointSummary("r000", 300, 6, "PointGoal-v0", "her", 0.5, 0.75, false),
            [new CheckpointFile("agent.bin", s => s.Write([1, 2, 3]))]);
        new SweepRunRecord { State = SweepRunState.Done, Attempts = 1 }.Write(done);

        string running = Directory.CreateDirectory(folder.RunDirectory(folder.Runs[1])).FullName;
        using (var progress = new CsvLog<ProgressRow>(RunFiles.ProgressPath(running)))
            progress.Append(new ProgressRow { RunId = "r001", Seed = 2, Timesteps = 100, WallTimeSeconds = 1.0 });
        new SweepRunRecord
        {
            State = SweepRunState.Running, Host = Environment.MachineName, Pid = Environment.ProcessId, StartedUtc = DateTimeOffset.UtcNow, Attempts = 1,
        }.Write(running);

        var statuses = folder.Collect();
        string expected = """
            index,run_id,her.her_ratio,seed,status,timesteps,final_eval_success_rate,best_eval_success_rate,steps_to_threshold,wall_time_s,last_checkpoint,error
            0,r000-her_ratio=0.5-seed=1,0.5,1,done,300,0.5,0.75,200,3.25,runs/r000-her_ratio=0.5-seed=1/checkpoints/step_300,
            1,r001-her_ratio=0.5-seed=2,0.5,2,running,100,,,,1,,
            2,r002-her_ratio=1.5-seed=1,1.5,1,failed,0,,,,,,"override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5"
            3,r003-her_ratio=1.5-seed=2,1.5,2,failed,0,,,,,,"override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5"

            """.Replace("\r\n", "\n");
        Assert.Equal(expected, File.ReadAllText(folder.SummaryPath));
        Assert.Equal(Path.Combine(done, "checkpoints", "step_300"), statuses[0].LastCheckpoint);
        Assert.Equal(300, statuses[0].Timesteps);

        SweepFolder.Open(SweepDir).Collect();
        Assert.Equal(expected, File.ReadAllText(folder.SummaryPath));
        Assert.Empty(Directory.GetFiles(SweepDir, ".*.tmp"));
    }

    [Fact]
    public void A_run_recorded_running_whose_process_is_gone_is_reported_stopped()
    {
        var folder = CreateRatioSweep();
        string dir = folder.RunDirectory(folder.Runs[0]);
        new SweepRunRecord { State = SweepRunState.Running, Host = Environment.MachineName, Pid = int.MaxValue, StartedUtc = DateTimeOffset.UtcNow }.Write(dir);
        var status = folder.ReadRunStatus(folder.Runs[0]);
        Assert.Equal(SweepRunState.Stopped, status.State);
        Assert.Equal($"its process {int.MaxValue} ended without recording a result", status.Error);

        // On another host the process cannot be checked: the record stands.
        new SweepRunRecord { State = SweepRunState.Running, Host = "elsewhere", Pid = int.MaxValue }.Write(dir);
        Assert.Equal(SweepRunState.Running, folder.ReadRunStatus(folder.Runs[0]).State);
    }

    [Fact]
    public void A_Slurm_run_recorded_running_is_stopped_once_its_task_left_the_queue()
    {
        var folder = CreateRatioSweep();
        var run = folder.Runs[1];
        new SweepRunRecord { State = SweepRunState.Running, Host = "node7", Pid = 5, SlurmJobId = "78", SlurmArrayJobId = "77", SlurmArrayTaskId = 1 }
            .Write(folder.RunDirectory(run));

        Assert.Equal(SweepRunState.Running, folder.ReadRunStatus(run, queue: null).State);
        var queued = folder.ReadRunStatus(run, new Dictionary<int, SlurmTaskState> { [1] = new(1, "77_1", "RUNNING") });
        Assert.Equal((SweepRunState.Running, "77_1", "RUNNING"), (queued.State, queued.SlurmJobId, queued.SchedulerState));
        var gone = folder.ReadRunStatus(run, new Dictionary<int, SlurmTaskState>());
        Assert.Equal(SweepRunState.Stopped, gone.State);
        Assert.Equal("its Slurm job 78 ended without recording a result", gone.Error);
    }

    [Fact]
    public void Creating_the_same_sweep_again_keeps_its_runs_and_another_sweep_is_refused()
    {
        var folder = CreateRatioSweep();
        new SweepRunRecord { State = SweepRunState.Done }.Write(folder.RunDirectory(folder.Runs[0]));

        var again = SweepFolder.Create(SweepLoader.LoadFile(_files.Write("same.yaml",
            "# the same sweep, run on Slurm this time\npreset: point_goal\ngrid:\n  her.her_ratio: [0.5, 1.5]\nseeds: [1, 2]\nsuccess_threshold: " +
            "0.5\nbackend: slurm\n")), SweepDir);
        Assert.Equal(SweepRunState.Done, again.ReadRunStatus(again.Runs[0]).State);
        Assert.Equal(SweepBackend.Slurm, SweepFolder.Open(SweepDir).Definition.Backend);

        var other = SweepLoader.LoadFile(_files.Write("other.yaml", "preset: point_goal\ngrid:\n  her.her_ratio: [0.5, 0.7]\nseeds: [1, 2]\n"));
        var e = Assert.Throws<SweepException>(() => SweepFolder.Create(other, SweepDir));
        Assert.Contains("already holds a different sweep", e.Message);

        string cluttered = Path.Combine(_files.Root, "cluttered");
        _files.Write("cluttered/notes.txt", "mine");
        Assert.Contains("not empty", Assert.Throws<SweepException>(() => SweepFolder.Create(other, cluttered)).Message);
    }

    [Fact]
    public void The_base_config_is_copied_so_later_edits_do_not_change_the_runs()
    {
        string config = _files.Write("base.yaml", "total_timesteps: 700\n");
        var definition = SweepLoader.LoadFile(_files.Write("s.yaml", "config: base.yaml\ngrid:\n  ddpg.hidden_sizes: [[16, 16], [32]]\n"));
        SweepFolder.Create(definition, SweepDir);
        File.WriteAllText(config, "total_timesteps: 900\n");

        var folder = SweepFolder.Open(SweepDir);
        Assert.Equal(Path.Combine(SweepDir, "base.yaml"), folder.Definition.ConfigPath);
        Assert.Contains("config: base.yaml\n", File.ReadAllText(folder.DefinitionPath));
        var config0 = folder.Definition.LoadRunConfig(folder.Runs[0]);
        Assert.Equal(700, config0.TotalTimesteps);
        Assert.Equal([16, 16], config0.Ddpg.HiddenSizes);
        Assert.Equal("[16, 16]", folder.Runs[0].Point[0].Value);
    }

    [Fact]
    public void A_preset_is_copied_so_a_later_version_of_it_does_not_change_the_runs()
    {
        CreateRatioSweep();
        Assert.Equal(Presets.Find("point_goal")!.Yaml, File.ReadAllText(Path.Combine(SweepDir, "base.yaml")));
        Assert.Contains("config: base.yaml\n", File.ReadAllText(Path.Combine(SweepDir, "sweep.yaml")));

        // What an upgrade that changed the shipped preset looks like from the sweep's side: its copy differs.
        File.WriteAllText(Path.Combine(SweepDir, "base.yaml"), Presets.Find("point_goal")!.Yaml.Replace("total_timesteps: 3000", "total_timesteps: 1234"));
        var folder = SweepFolder.Open(SweepDir);
        Assert.Equal(1234, folder.Definition.LoadRunConfig(folder.Runs[0]).TotalTimesteps);

        var e = Assert.Throws<SweepException>(() => CreateRatioSweep());
        Assert.Contains("'point_goal' preset as it was shipped when the sweep was created", e.Message);
        Assert.Contains("'sweep resume' goes on with the sweep's copy", e.Message);
    }

    [Fact]
    public void A_runs_csv_that_does_not_match_the_definition_is_refused()
    {
        var folder = CreateRatioSweep();
        File.WriteAllText(folder.RunsPath, "index,run_id,ddpg.tau,seed\n0,r000,0.1,1\n");
        Assert.Contains("do not match", Assert.Throws<SweepException>(() => SweepFolder.Open(SweepDir)).Message);
        string empty = Directory.CreateDirectory(Path.Combine(_files.Root, "empty")).FullName;
        Assert.Contains("not a sweep folder", Assert.Throws<SweepException>(() => SweepFolder.Open(empty)).Message);
    }

    // Runs that train in a second or two.
    private SweepFolder CreateTinySweep() => SweepFolder.Create(SweepLoader.LoadFile(_files.Write("tiny.yaml",
        "preset: point_goal\nset:\n  total_timesteps: 200\n  ddpg.learning_starts: 100\n  eval.eval_freq: 100\n" +
        "  eval.n_eval_episodes: 2\n  log.log_interval: 100\n" +
        "grid:\n  her.her_ratio: [0.5]\nseeds: [1, 2, 3]\n")), SweepDir);

    [Fact]
    public void A_task_refuses_a_run_another_writer_holds_and_leaves_its_status_alone()
    {
        var folder = CreateTinySweep();
        string runDir = folder.RunDirectory(folder.Runs[0]);
        var theirs = new SweepRunRecord { State = SweepRunState.Running, Host = "elsewhere", Pid = 4242, StartedUtc = DateTimeOffset.UtcNow };
        theirs.Write(runDir);
        using (RunLock.Acquire(runDir))
        {
            var e = Assert.Throws<RunLockedException>(() => SweepTask.Run(SweepDir, 0));
            Assert.Contains($"process {Environment.ProcessId} on {Environment.MachineName}", e.Message);
            Assert.Equal(4242, SweepRunRecord.Read(runDir)!.Pid);
        }
        // Released, the run is the task's to train.
        Assert.Equal(SweepRunState.Done, SweepTask.Run(SweepDir, 0).State);
    }

    [Fact]
    public void An_unreadable_status_json_affects_only_its_run()
    {
        var folder = CreateTinySweep();
        string broken = folder.RunDirectory(folder.Runs[1]);
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, SweepRunRecord.FileName), ""); // what a power loss can leave

        var statuses = SweepFolder.Open(SweepDir).Collect();

        Assert.Equal(SweepRunState.Stopped, statuses[1].State);
        Assert.Contains("status.json", statuses[1].Error);
        Assert.All(statuses.Where(s => s.Index != 1), s => Assert.Equal(SweepRunState.Pending, s.State));
        Assert.Equal(SweepRunState.Done, SweepTask.Run(SweepDir, 1).State);
    }
}
