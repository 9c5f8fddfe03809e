using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public class ResumeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-resume-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // 30-step episodes put step 2000 in the middle of an episode (2000 = 66 * 30 + 20).
    private static RunConfig Config(long totalTimesteps) => ConfigLoader.LoadPreset("point_goal",
    [
        "threads=1", "seed=7", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=30",
        "log.log_interval=500", "eval.eval_freq=1000", "eval.n_eval_episodes=10", "checkpoint.keep_last=10",
        "checkpoint.checkpoint_freq=500",
    ]);

    private static byte[] FileOf(string checkpoint, string name) => File.ReadAllBytes(Path.Combine(checkpoint, name));

    private static List<ProgressRow> Rows(string runDirectory) =>
        CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory)).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();

    [Fact]
    public void Resuming_mid_episode_continues_bit_for_bit()
    {
        string straight = Path.Combine(_root, "straight"), resumed = Path.Combine(_root, "resumed");
        var full = HerTrainer.TrainHer(Config(4000), straight);

        var half = HerTrainer.TrainHer(Config(2000), resumed);
        Assert.Equal(2000, half.Timesteps);
        var info = CheckpointStore.ReadInfo(half.LastCheckpointPath!);
        Assert.NotEqual(0, info.Step % 30); // the checkpoint really is mid-episode
        var rest = HerTrainer.TrainHer(Config(4000), resumed, resumeFrom: half.LastCheckpointPath);

        Assert.Equal(4000, rest.Timesteps);
        Assert.Equal(FileOf(full.LastCheckpointPath!, "agent.bin"), FileOf(rest.LastCheckpointPath!, "agent.bin"));
        Assert.Equal(FileOf(full.LastCheckpointPath!, "replay.bin"), FileOf(rest.LastCheckpointPath!, "replay.bin"));
        Assert.Equal(Rows(straight), Rows(resumed));
        Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(straight)), CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(resumed)));
    }

    [Theory]
    [InlineData("td3_her", 1)]
    [InlineData("sac_her", 1)]
    [InlineData("sac_her", 2)]
    public void Each_learner_resumes_mid_episode_bit_for_bit_on_Push2D(string algo, int copies)
    {
        // 30-step episodes put step 500 mid-episode (with two copies, each copy's step 250); SAC's tuned entropy
        // coefficient, its Adam state and both of its generators (its exploration draws taken copy by copy), and TD3's
        // smoothing noise and delay position all have to come back for the files to match.
        RunConfig Push(long total) => ConfigLoader.LoadPreset("point_goal",
        [
            "threads=1", "seed=5", $"total_timesteps={total}", $"algo={algo}", "env.id=Push2D-v0", "env.max_episode_steps=30", $"n_envs={copies}",
            "ddpg.action_l2=0", "ddpg.learning_starts=200", "ddpg.hidden_sizes=[32, 32]", "ddpg.batch_size=64",
            "log.log_interval=250", "eval.eval_freq=500", "eval.n_eval_episodes=5", "checkpoint.checkpoint_freq=250",
        ]);
        string straight = Path.Combine(_root, $"{algo}-{copies}-straight"), resumed = Path.Combine(_root, $"{algo}-{copies}-resumed");
        var full = HerTrainer.TrainHer(Push(1000), straight);

        var half = HerTrainer.TrainHer(Push(500), resumed);
        Assert.NotEqual(0, CheckpointStore.ReadInfo(half.LastCheckpointPath!).Step % 30);
        var rest = HerTrainer.TrainHer(Push(1000), resumed, resumeFrom: half.LastCheckpointPath);

        Assert.Equal(FileOf(full.LastCheckpointPath!, "agent.bin"), FileOf(rest.LastCheckpointPath!, "agent.bin"));
        Assert.Equal(FileOf(full.LastCheckpointPath!, "replay.bin"), FileOf(rest.LastCheckpointPath!, "replay.bin"));
        Assert.Equal(Rows(straight), Rows(resumed));
        Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(straight)), CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(resumed)));
    }

    [Fact]
    public void Rows_written_after_the_checkpoint_by_a_dead_run_are_dropped_on_resume()
    {
        string run = Path.Combine(_root, "dead");
        var first = HerTrainer.TrainHer(Config(1000), run);
        // What a process killed after step 1000 could have left: a later row and a torn one.
        File.AppendAllText(RunFiles.ProgressPath(run), "1,x,7,abc,1500,50,500,1,1,,,,,,,,\n1,x,7,abc,2000,6");
        File.AppendAllText(RunFiles.EvalPath(run), "1500,50,0.5,-20,0.1\n");

        var rest = HerTrainer.TrainHer(Config(2000), run, resumeFrom: first.LastCheckpointPath);

        var steps = Rows(run).Select(r => r.Timesteps).ToList();
        Assert.Equal([500L, 1000, 1500, 2000], steps);
        Assert.Equal([1000L, 2000], CsvLog<EvalRow>.ReadAll(rest.EvalCsvPath).Select(r => r.Timesteps));
    }

    [Fact]
    public void Resuming_into_another_folder_branches_with_the_history_up_to_the_checkpoint()
    {
        string run = Path.Combine(_root, "trunk"), branch = Path.Combine(_root, "branch");
        var first = HerTrainer.TrainHer(Config(1000), run);
        var rest = HerTrainer.TrainHer(Config(1500), branch, resumeFrom: first.LastCheckpointPath);
        Assert.Equal([500L, 1000, 1500], Rows(branch).Select(r => r.Timesteps));
        Assert.Equal([500L, 1000], Rows(run).Select(r => r.Timesteps));
        Assert.Equal(1500, rest.Timesteps);
    }

    [Fact]
    public void Resuming_in_place_from_an_older_checkpoint_is_refused_so_timelines_never_mix()
    {
        string run = Path.Combine(_root, "older");
        var first = HerTrainer.TrainHer(Config(1000), run);
        var e = Assert.Throws<HerToolsException>(() => HerTrainer.TrainHer(Config(2000), run + "/", resumeFrom: Path.Combine(run, "checkpoints", "step_500")));
        Assert.Contains("step_1000", e.Message);
        Assert.Contains("branch", e.Message);
        Assert.Equal(first.Timesteps, CheckpointStore.Latest(run)!.Step);
    }

    [Fact]
    public void A_run_folder_written_with_a_trailing_slash_resumes_in_place()
    {
        string run = Path.Combine(_root, "slash");
        HerTrainer.TrainHer(Config(500), run);
        var rest = HerTrainer.TrainHer(null, run + "/", resumeFrom: run + "/");
        Assert.Equal(500, rest.Timesteps);
        Assert.Equal([500L], Rows(run).Select(r => r.Timesteps));
    }

    [Fact]
    public void A_branch_is_named_after_its_own_folder()
    {
        var first = HerTrainer.TrainHer(Config(1000), Path.Combine(_root, "source"));
        HerTrainer.TrainHer(Config(1500), Path.Combine(_root, "fork"), resumeFrom: first.LastCheckpointPath);
        var rows = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(Path.Combine(_root, "fork")));
        Assert.Equal(["source", "source", "fork"], rows.Select(r => r.RunId));
    }

    [Fact]
    public void A_resume_with_a_different_setting_is_refused()
    {
        var first = HerTrainer.TrainHer(Config(500), Path.Combine(_root, "r"));
        var changed = Config(1000);
        changed.Ddpg.Tau = 0.5;
        var e = Assert.Throws<ConfigException>(() => HerTrainer.TrainHer(changed, Path.Combine(_root, "r"), resumeFrom: first.LastCheckpointPath));
        Assert.Contains("only total_timesteps and threads may change", e.Message);
    }

    [Fact]
    public void A_corrupt_checkpoint_is_refused_naming_the_file()
    {
        var first = HerTrainer.TrainHer(Config(500), Path.Combine(_root, "c"));
        string agent = Path.Combine(first.LastCheckpointPath!, "agent.bin");
        var bytes = File.ReadAllBytes(agent);
        bytes[bytes.Length / 2] ^= 0xFF;
        File.WriteAllBytes(agent, bytes);
        var e = Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(Config(1000), Path.Combine(_root, "c"), resumeFrom: first.LastCheckpointPath));
        Assert.Contains("agent.bin", e.Message);
    }
}
