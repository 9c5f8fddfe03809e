using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>
/// Checkpoints of TD3 and SAC runs go through the same bounded readers as DDPG's: verify, eval and resume accept them,
/// and a learner's file in another learner's checkpoint (each file whole, its hash vouched for) is refused as a
/// <see cref="CheckpointException"/> naming the file and the field.
/// </summary>
public sealed class LearnerCheckpointTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-learner-ckpt-{Guid.NewGuid():N}");

    public LearnerCheckpointTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // Checkpoints at 60, 120 and 130; the log interval is longer than the run, so the interval's sums hold every update.
    private static RunConfig Config(string preset, long totalTimesteps) => ConfigLoader.LoadPreset(preset,
    [
        "threads=1", "seed=5", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=20", "ddpg.hidden_sizes=[8]",
        "ddpg.batch_size=8", "ddpg.learning_starts=40", "eval.n_eval_episodes=1", "checkpoint.checkpoint_freq=60",
        "checkpoint.keep_last=5", "log.log_interval=1000", "eval.eval_freq=1000",
    ]);

    private string Train(string preset)
    {
        string run = Path.Combine(_root, preset);
        HerTrainer.TrainHer(Config(preset, 130), run);
        return run;
    }

    private static string Checkpoint(string run, long step) => Path.Combine(run, "checkpoints", $"step_{step}");

    /// <summary>Copies <paramref name="fileName"/> of one checkpoint over another's and makes the manifest vouch for it.</summary>
    private static void Transplant(string fileName, string from, string to)
    {
        string target = Path.Combine(to, fileName);
        File.Copy(Path.Combine(from, fileName), target, overwrite: true);
        CheckpointManifestEdits.Vouch(to, fileName);
    }

    [Theory]
    [InlineData("point_goal_td3", "td3")]
    [InlineData("point_goal_sac", "sac")]
    public void Verify_eval_and_resume_accept_the_learners_checkpoints(string preset, string learner)
    {
        string run = Train(preset);
        Assert.All(CheckpointVerifier.VerifyRun(run), v => Assert.True(v.IsValid, v.Error?.Message));
        using (var loaded = RunCheckpoint.LoadPolicy(Checkpoint(run, 130), threads: 1))
            Assert.Equal(learner, loaded.Policy.Learner.Name);
        var resumed = HerTrainer.TrainHer(Config(preset, 150), Path.Combine(_root, preset + "-branch"), resumeFrom: Checkpoint(run, 130));
        Assert.Equal(150, resumed.Timesteps);
    }

    [Fact]
    public void A_SAC_learner_in_a_TD3_checkpoint_is_refused_naming_agent_bin_and_its_header()
    {
        string td3 = Train("point_goal_td3"), sac = Train("point_goal_sac");
        Transplant("agent.bin", Checkpoint(sac, 130), Checkpoint(td3, 130));

        var e = Assert.Throws<CheckpointException>(() =>
            HerTrainer.TrainHer(Config("point_goal_td3", 150), Path.Combine(_root, "branch"), resumeFrom: Checkpoint(td3, 130)));
        Assert.Equal("agent.bin", e.FileName);
        Assert.Equal("header", e.Field);
        Assert.Contains("not a saved TD3 learner (header 'HerTools.Sac')", e.Message);
        var verified = CheckpointVerifier.VerifyRun(td3).Single(v => !v.IsValid);
        Assert.Equal(("agent.bin", "header"), (verified.Error!.FileName, verified.Error.Field));
    }

    [Fact]
    public void A_TD3_run_state_in_a_SAC_checkpoint_is_refused_for_its_missing_entropy_sums()
    {
        string td3 = Train("point_goal_td3"), sac = Train("point_goal_sac");
        Transplant("state.bin", Checkpoint(td3, 130), Checkpoint(sac, 130));

        var e = Assert.Throws<CheckpointException>(() => RunCheckpoint.LoadPolicy(Checkpoint(sac, 130), threads: 1));
        Assert.Equal("state.bin", e.FileName);
        Assert.Equal("interval entropy updates", e.Field);
        Assert.Contains("interval entropy updates: 0 is outside [", e.Message);
    }
}
