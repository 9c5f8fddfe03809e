using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>
/// Loading a checkpoint (RunCheckpoint, through a resume and through --verify's CheckpointVerifier) checks its files
/// against each other: files swapped between two checkpoints of the same run are each whole and well-formed, and
/// must still be refused, naming the file and the field that disagree.
/// </summary>
public sealed class CheckpointLoadingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-loading-{Guid.NewGuid():N}");
    private readonly string _run;

    public CheckpointLoadingTests()
    {
        _run = Path.Combine(_root, "run");
        HerTrainer.TrainHer(Config(130), _run);
    }

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // Checkpoints at steps 60, 120 and 130: 130 is 10 steps into an episode of 20, 120 at an episode's start.
    private static RunConfig Config(long totalTimesteps) => ConfigLoader.LoadPreset("point_goal",
    [
        "threads=1", "seed=5", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=20", "ddpg.hidden_sizes=[8]",
        "ddpg.batch_size=8", "ddpg.learning_starts=40", "eval.n_eval_episodes=1", "checkpoint.checkpoint_freq=60",
        "checkpoint.keep_last=5",
    ]);

    private string Checkpoint(long step) => Path.Combine(_run, "checkpoints", $"step_{step}");

    /// <summary>Copies <paramref name="fileName"/> of one checkpoint over another's and makes the manifest vouch for it.</summary>
    private void Transplant(string fileName, long from, long to)
    {
        File.Copy(Path.Combine(Checkpoint(from), fileName), Path.Combine(Checkpoint(to), fileName), overwrite: true);
        Rehash(to, fileName);
    }

    /// <summary>Makes the manifest of checkpoint <paramref name="step"/> vouch for <paramref name="fileName"/> as it is now.</summary>
    private void Rehash(long step, string fileName)
    {
        CheckpointManifestEdits.Vouch(Checkpoint(step), fileName);
    }

    private CheckpointException Resume(long step) =>
        Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(Config(150), Path.Combine(_root, "branch"), resumeFrom: Checkpoint(step)));

    /// <summary>Puts <paramref name="bytes"/> in place of <paramref name="fileName"/> of a checkpoint and makes the manifest vouch for them.</summary>
    private void Replace(long step, string fileName, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(Checkpoint(step), fileName), bytes);
        Rehash(step, fileName);
    }

    [Fact]
    public void A_run_state_of_version_3_with_the_environment_state_inline_resumes_exactly_as_version_4()
    {
        var current = HerTrainer.TrainHer(Config(150), Path.Combine(_root, "from-v4"), resumeFrom: Checkpoint(130));

        // Version 4 writes each environment's state as a block behind its length; version 3 wrote it inline.
        byte[] v4 = File.ReadAllBytes(Path.Combine(Checkpoint(130), "state.bin"));
        Assert.Equal(4, BitConverter.ToInt32(v4, 4));
        int lengthAt = v4.Length - Fuzz.FileLayout.PointGoalStateBytes - 4;
        Assert.Equal(Fuzz.FileLayout.PointGoalStateBytes, BitConverter.ToInt32(v4, lengthAt));
        byte[] v3 = [.. v4[..lengthAt], .. v4[(lengthAt + 4)..]];
        BitConverter.TryWriteBytes(v3.AsSpan(4), 3);
        Replace(130, "state.bin", v3);
        var old = HerTrainer.TrainHer(Config(150), Path.Combine(_root, "from-v3"), resumeFrom: Checkpoint(130));

        foreach (string file in (string[])["agent.bin", "replay.bin"])
            Assert.Equal(File.ReadAllBytes(Path.Combine(current.LastCheckpointPath!, file)), File.ReadAllBytes(Path.Combine(old.LastCheckpointPath!, file)));
    }

    [Fact]
    public void An_environment_state_that_its_environment_does_not_read_to_the_end_is_refused_naming_it()
    {
        byte[] state = File.ReadAllBytes(Path.Combine(Checkpoint(130), "state.bin"));
        int lengthAt = state.Length - Fuzz.FileLayout.PointGoalStateBytes - 4;
        // One byte more in the block than PointGoal-v0 reads.
        byte[] longer = [.. state, 0];
        BitConverter.TryWriteBytes(longer.AsSpan(lengthAt), state.Length - lengthAt - 4 + 1);
        Replace(130, "state.bin", longer);

        var e = Resume(130);
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("PointGoal-v0 state", e.Field);
        Assert.EndsWith($"the environment read {state.Length - lengthAt - 4} of its {state.Length - lengthAt - 3} bytes", e.Message);
    }

    [Fact]
    public void A_run_state_from_another_step_is_refused_for_its_timesteps()
    {
        Transplant("state.bin", from: 120, to: 130);

        var e = Resume(130);
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("timesteps", e.Field);
        Assert.Equal(CheckpointProblem.InvalidContent, e.Kind);
        Assert.Equal($"{Path.Combine(Checkpoint(130), "state.bin")}: timesteps: 120, but checkpoint.json says step 130", e.Message);
        Assert.False(Directory.Exists(Path.Combine(_root, "branch", "checkpoints")), "a refused resume wrote checkpoints");
    }

    [Fact]
    public void A_learner_from_another_step_is_refused_for_its_update_count()
    {
        Transplant("agent.bin", from: 120, to: 130);

        var e = Resume(130);
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("gradient steps", e.Field);
        Assert.Contains("but agent.bin has taken", e.Message);
    }

    [Fact]
    public void A_buffer_from_another_step_is_refused_for_its_episode_in_progress()
    {
        Transplant("replay.bin", from: 120, to: 130);

        var e = Resume(130);
        Assert.Equal("replay.bin", e.FileName);
        Assert.Equal("episode in progress", e.Field);
        Assert.Contains("has 0 steps; state.bin has one of 10 steps", e.Message);
    }

    [Fact]
    public void Verify_accepts_every_intact_checkpoint_and_names_the_file_of_the_one_that_disagrees()
    {
        Assert.All(CheckpointVerifier.VerifyRun(_run), v => Assert.True(v.IsValid, v.Error?.Message));

        Transplant("replay.bin", from: 120, to: 130);

        var results = CheckpointVerifier.VerifyRun(_run);
        var failed = Assert.Single(results, r => !r.IsValid);
        Assert.Equal(Checkpoint(130), failed.Checkpoint.Path);
        Assert.Equal("replay.bin", failed.Error!.FileName);
    }
}
