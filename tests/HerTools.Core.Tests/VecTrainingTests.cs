using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>Training with <c>n_envs</c> &gt; 1: Stable-Baselines3's counting, exact resume, learning, and checkpoints that
/// carry every copy's episode.</summary>
public class VecTrainingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-vec-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string RunDir(string name) => Path.Combine(_root, name);

    /// <summary>Small networks and short evaluations: fast runs whose counting is what is checked.</summary>
    private static RunConfig Small(params string[] overrides) => ConfigLoader.LoadPreset("point_goal",
    [
        "threads=1", "seed=3", "ddpg.hidden_sizes=[16]", "ddpg.batch_size=16", "ddpg.learning_starts=40", "eval.n_eval_episodes=2",
        "checkpoint.keep_best=false", .. overrides,
    ]);

    private static List<ProgressRow> Rows(string runDirectory) =>
        CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory)).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();

    private static byte[] FileOf(string checkpoint, string name) => File.ReadAllBytes(Path.Combine(checkpoint, name));

    // 30-step episodes: when the run stops, every copy is in the middle of an episode.
    private static RunConfig ResumeConfig(long totalTimesteps) => ConfigLoader.LoadPreset("point_goal",
    [
        "threads=1", "seed=7", "n_envs=4", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=30", "ddpg.hidden_sizes=[32, 32]",
        "ddpg.action_noise=ornstein_uhlenbeck", "ddpg.gradient_steps=-1", "ddpg.train_freq=2", "log.log_interval=200",
        "eval.eval_freq=500", "eval.n_eval_episodes=10", "checkpoint.keep_last=10",
    ]);

    [Fact]
    public void Four_copies_stopped_at_a_checkpoint_resume_bit_for_bit()
    {
        string straight = RunDir("straight"), resumed = RunDir("resumed");
        var full = HerTrainer.TrainHer(ResumeConfig(2000), straight);

        using var stop = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Timesteps >= 900) stop.Cancel(); });
        var stopped = HerTrainer.TrainHer(ResumeConfig(2000), resumed, progress, stop.Token);
        Assert.Equal(TrainingStatus.Stopped, stopped.Status);
        Assert.Equal(0, stopped.Timesteps % 4);
        Assert.NotEqual(0, stopped.Timesteps / 4 % 30); // each copy is mid-episode
        var rest = HerTrainer.TrainHer(ResumeConfig(2000), resumed, resumeFrom: stopped.LastCheckpointPath);

        Assert.Equal(TrainingStatus.Completed, rest.Status);
        Assert.Equal(2000, rest.Timesteps);
        Assert.Equal(full.Episodes, rest.Episodes);
        Assert.Equal(FileOf(full.LastCheckpointPath!, "agent.bin"), FileOf(rest.LastCheckpointPath!, "agent.bin"));
        Assert.Equal(FileOf(full.LastCheckpointPath!, "replay.bin"), FileOf(rest.LastCheckpointPath!, "replay.bin"));
        Assert.Equal(Rows(straight), Rows(resumed));
        Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(straight)), CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(resumed)));
    }

    [Fact]
    public void Two_copies_learn_PointGoal()
    {
        // Two thirds of the preset's budget in transitions, with SB3's meaning of one update per step of both copies: half
        // the updates of one environment. Seed 1 evaluates at 1.0 from step 1,000 on.
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "seed=1", "n_envs=2", "total_timesteps=2000", "eval.eval_freq=500"]);
        var result = HerTrainer.TrainHer(config, RunDir("learn"));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.True(result.FinalEvalSuccessRate >= 0.8, $"final evaluation success {result.FinalEvalSuccessRate}");
    }

    [Fact]
    public void Train_freq_counts_steps_of_all_copies_and_gradient_steps_minus_one_the_transitions()
    {
        // 400 transitions of 4 copies are 100 steps; learning from the first: every 2nd step trains.
        var fixedSteps = HerTrainer.TrainHer(Small("n_envs=4", "total_timesteps=400", "ddpg.learning_starts=0", "ddpg.train_freq=2",
            "ddpg.gradient_steps=1", "log.log_interval=400"), RunDir("fixed"));
        Assert.Equal(50, Rows(RunDir("fixed"))[^1].GradientSteps);
        // As many updates as transitions collected since the last round: 8 each time.
        var owed = HerTrainer.TrainHer(Small("n_envs=4", "total_timesteps=400", "ddpg.learning_starts=0", "ddpg.train_freq=2",
            "ddpg.gradient_steps=-1", "log.log_interval=400"), RunDir("owed"));
        Assert.Equal(400, Rows(RunDir("owed"))[^1].GradientSteps);
        Assert.Equal(400, fixedSteps.Timesteps);
        Assert.Equal(400, owed.Timesteps);
    }

    [Fact]
    public void Schedules_fire_at_the_first_step_at_or_past_each_multiple_and_the_budget_is_kept_exactly()
    {
        // 4 copies step 4 transitions at a time: 250 is passed at 252, 750 at 752; the last step steps 2 copies to reach 1002.
        var result = HerTrainer.TrainHer(Small("n_envs=4", "total_timesteps=1002", "eval.eval_freq=250", "log.log_interval=500",
            "checkpoint.checkpoint_freq=300", "checkpoint.keep_last=10"), RunDir("schedules"));
        Assert.Equal(1002, result.Timesteps);
        Assert.Equal([252L, 500, 752, 1000, 1002], CsvLog<EvalRow>.ReadAll(result.EvalCsvPath).Select(r => r.Timesteps));
        Assert.Equal([500L, 1000], Rows(RunDir("schedules")).Select(r => r.Timesteps));
        Assert.Equal([300L, 600, 900, 1002], CheckpointStore.List(RunDir("schedules")).Where(c => !c.IsBest).Select(c => c.Step).Order());
    }

    [Fact]
    public void Each_copy_runs_its_own_episodes_copy_zero_those_of_a_single_environment()
    {
        // Random actions only (learning never starts): a copy's episodes depend on its seed stream and the action draws.
        var one = HerTrainer.TrainHer(Small("total_timesteps=100", "ddpg.learning_starts=1000", "log.log_interval=100"), RunDir("one"));
        var three = HerTrainer.TrainHer(Small("n_envs=3", "total_timesteps=300", "ddpg.learning_starts=1000", "log.log_interval=300"),
            RunDir("three"));
        Assert.Equal(2, one.Episodes);
        Assert.Equal(6, three.Episodes);
        var firstGoals = FirstDesiredGoals(three.LastCheckpointPath!, copies: 3);
        Assert.Equal(3, firstGoals.Distinct().Count());
        Assert.Equal(FirstDesiredGoals(one.LastCheckpointPath!, copies: 1)[0], firstGoals[0]);
    }

    /// <summary>The desired goal of the oldest episode in each lane of a checkpoint's replay.bin, read the way the buffer lays it
    /// out: per lane the header (magic, version, payload length), then the environment id, seven shape ints, the ring state
    /// (two ints, a serial, a flag, two ints) and the oldest episode's first and last row before its desired goal.</summary>
    private static float[] FirstDesiredGoals(string checkpoint, int copies)
    {
        using var r = new BinaryReader(File.OpenRead(Path.Combine(checkpoint, "replay.bin")));
        var goals = new float[copies];
        for (int c = 0; c < copies; c++)
        {
            r.ReadBytes(8 + 4);
            long payloadLength = r.ReadInt64(), payloadStart = r.BaseStream.Position;
            Assert.Equal("PointGoal-v0", r.ReadString());
            r.ReadBytes(7 * 4 + 4 + 4 + 4 + 1 + 4 + 4 + 4 + 4);
            goals[c] = r.ReadSingle();
            r.BaseStream.Position = payloadStart + payloadLength + 8;
        }
        Assert.Equal(r.BaseStream.Length, r.BaseStream.Position);
        return goals;
    }

    [Fact]
    public void A_state_file_for_another_number_of_copies_is_refused_naming_n_envs()
    {
        var result = HerTrainer.TrainHer(Small("n_envs=2", "total_timesteps=100"), RunDir("source"));
        string checkpoint = result.LastCheckpointPath!;
        string state = Path.Combine(checkpoint, "state.bin");
        byte[] bytes = File.ReadAllBytes(state);
        Assert.Equal(2, BitConverter.ToInt32(bytes, 8));
        BitConverter.GetBytes(3).CopyTo(bytes, 8);
        Rewrite(checkpoint, "state.bin", bytes);

        var e = Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(Small("n_envs=2", "total_timesteps=200"), RunDir("branch"),
            resumeFrom: checkpoint));
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("n_envs", e.Field);
    }

    [Fact]
    public void A_copys_episode_length_beyond_the_time_limit_is_refused_naming_the_copy()
    {
        var result = HerTrainer.TrainHer(Small("n_envs=2", "total_timesteps=120"), RunDir("source"));
        string checkpoint = result.LastCheckpointPath!;
        byte[] bytes = File.ReadAllBytes(Path.Combine(checkpoint, "state.bin"));
        // Magic, version, copy count, five int64 counters, the cycle's episodes; then each copy's return (double) and length (int32).
        const int SecondCopyLength = 4 + 4 + 4 + 5 * 8 + 4 + (8 + 4) + 8;
        Assert.Equal(10, BitConverter.ToInt32(bytes, SecondCopyLength)); // 120 steps of 2 copies: each copy 10 steps into its second episode
        BitConverter.GetBytes(999).CopyTo(bytes, SecondCopyLength);
        Rewrite(checkpoint, "state.bin", bytes);

        var e = Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(Small("n_envs=2", "total_timesteps=200"), RunDir("branch"),
            resumeFrom: checkpoint));
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("env copy 1 episode length", e.Field);
        Assert.Contains("999 is outside [0, 49]", e.Message);
    }

    [Fact]
    public void A_buffer_whose_copies_episodes_disagree_with_the_state_is_refused_naming_the_copy()
    {
        var result = HerTrainer.TrainHer(Small("n_envs=2", "total_timesteps=140", "checkpoint.checkpoint_freq=60", "checkpoint.keep_last=5"),
            RunDir("source"));
        string older = Path.Combine(RunDir("source"), "checkpoints", "step_60");
        Rewrite(result.LastCheckpointPath!, "replay.bin", File.ReadAllBytes(Path.Combine(older, "replay.bin")));

        var e = Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(
            Small("n_envs=2", "total_timesteps=200", "checkpoint.checkpoint_freq=60", "checkpoint.keep_last=5"), RunDir("branch"),
            resumeFrom: result.LastCheckpointPath));
        Assert.Equal("replay.bin", e.FileName);
        Assert.Equal("env copy 0 episode in progress", e.Field);
    }

    /// <summary>Replaces a checkpoint's file and makes its manifest vouch for the new bytes.</summary>
    private static void Rewrite(string checkpoint, string fileName, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(checkpoint, fileName), bytes);
        CheckpointManifestEdits.Vouch(checkpoint, fileName);
    }
}
