using System.Security.Cryptography;
using System.Text.Json.Nodes;
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
    private static HerConfig Config(long totalTimesteps) => ConfigLoader.LoadPreset("point_goal",
    [
        "threads=1", "seed=5", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=20", "ddpg.hidden_sizes=[8]",
        "ddpg.batch_size=8", "ddpg.learning_starts=40", "eval.n_eval_episodes=1", "checkpoint.checkpoint_freq=60",
        "checkpoint.keep_last=5",
    ]);

    private string Checkpoint(long step) => Path.Combine(_run, "checkpoints", $"step_{step}");

    /// <summary>Copies <paramref name="fileName"/> of one checkpoint over another's and makes the manifest vouch for it.</summary>
    private void Transplant(string fileName, long from, long to)
    {
        string target = Path.Combine(Checkpoint(to), fileName);
        File.Copy(Path.Combine(Checkpoint(from), fileName), target, overwrite: true);
        byte[] bytes = File.ReadAllBytes(target);
        string manifestPath = Path.Combine(Checkpoint(to), CheckpointStore.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var entry in manifest["files"]!.AsArray())
        {
            if ((string)entry!["name"]! != fileName) continue;
            entry["bytes"] = bytes.Length;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

    private CheckpointException Resume(long step) =>
        Assert.Throws<CheckpointException>(() => HerTrainer.TrainHer(Config(150), Path.Combine(_root, "branch"), resumeFrom: Checkpoint(step)));

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
