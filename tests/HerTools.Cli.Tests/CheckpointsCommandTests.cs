using System.Text.Json;
using HerTools.Core.Checkpoints;

namespace HerTools.Cli.Tests;

public class CheckpointsCommandTests
{
    /// <summary>A run folder with step_500 (100 bytes), step_1000 (300 bytes) and best (taken at step 1000).</summary>
    private static string RunWithCheckpoints(TempDirectory dir)
    {
        string runDir = dir.Combine("run");
        Directory.CreateDirectory(runDir);
        var store = new CheckpointStore(runDir);
        store.Save(CheckpointStore.StepName(500), new CheckpointSummary("run", 500, 10, "PointGoal-v0", "ddpg_her", 0.25, 0.25, HasReplayBuffer: true),
            [new CheckpointFile("policy.bin", s => s.Write(new byte[100]))]);
        store.Save(CheckpointStore.StepName(1000), new CheckpointSummary("run", 1000, 20, "PointGoal-v0", "ddpg_her", 0.75, 0.75, HasReplayBuffer: true),
            [new CheckpointFile("policy.bin", s => s.Write(new byte[100])), new CheckpointFile("replay.bin", s => s.Write(new byte[200]))]);
        store.Save(CheckpointStore.BestName, new CheckpointSummary("run", 1000, 20, "PointGoal-v0", "ddpg_her", 0.75, 0.75, HasReplayBuffer: false),
            [new CheckpointFile("policy.bin", s => s.Write(new byte[100]))]);
        return runDir;
    }

    [Fact]
    public void Checkpoints_json_lists_the_checkpoint_records_newest_first_in_snake_case()
    {
        using var dir = new TempDirectory();
        string runDir = RunWithCheckpoints(dir);

        var run = Cli.Run("checkpoints", runDir, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        var items = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["step_1000", "best", "step_500"], items.Select(i => i.GetProperty("name").GetString()));
        Assert.Equal(["path", "name", "run_id", "step", "episode", "eval_success_rate", "best_eval_success_rate", "env_id", "algorithm",
            "created", "is_best", "has_replay_buffer", "format_version", "run_directory", "total_bytes"], items[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal([1000L, 1000, 500], items.Select(i => i.GetProperty("step").GetInt64()));
        Assert.Equal([false, true, false], items.Select(i => i.GetProperty("is_best").GetBoolean()));
        Assert.Equal([300L, 100, 100], items.Select(i => i.GetProperty("total_bytes").GetInt64()));
        Assert.Equal(0.25, items[2].GetProperty("eval_success_rate").GetDouble());
        Assert.Equal(Path.Combine(runDir, "checkpoints", "step_500"), items[2].GetProperty("path").GetString());
        Assert.Equal(runDir, items[2].GetProperty("run_directory").GetString());
        Assert.True(items[0].GetProperty("created").TryGetDateTimeOffset(out _));
    }

    [Fact]
    public void Checkpoints_prints_a_table_newest_first()
    {
        using var dir = new TempDirectory();
        string runDir = RunWithCheckpoints(dir);

        var run = Cli.Run("checkpoints", runDir);

        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.Matches(@"^NAME\s+STEP\s+EPISODE\s+EVAL\s+BEST EVAL\s+REPLAY\s+SIZE\s+CREATED \(UTC\)\s+PATH$", lines[0]);
        Assert.Matches(@"^step_1000\s+1000\s+20\s+0\.75\s+0\.75\s+yes\s+300 B\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+.*step_1000$", lines[1]);
        Assert.Matches(@"^best\s+1000\s+20\s+0\.75\s+0\.75\s+no\s+100 B\s", lines[2]);
        Assert.Matches(@"^step_500\s+500\s+10\s+0\.25\s+0\.25\s+yes\s+100 B\s", lines[3]);
    }

    [Fact]
    public void A_run_without_checkpoints_says_so_and_gives_an_empty_json_array()
    {
        using var dir = new TempDirectory();
        Assert.Equal("[]", Cli.Run("checkpoints", dir.Path, "--json").Out.Trim());
        var text = Cli.Run("checkpoints", dir.Path);
        Assert.Equal(0, text.ExitCode);
        Assert.Contains("has no checkpoints yet", text.Out);
    }

    [Fact]
    public void A_run_folder_that_does_not_exist_is_bad_usage()
    {
        using var dir = new TempDirectory();
        var run = Cli.Run("checkpoints", dir.Combine("missing"), "--json");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("run folder not found", run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void Verify_checks_every_file_of_every_checkpoint_and_fails_naming_the_one_that_disagrees()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        var train = Cli.Run("train", "--preset", "point_goal", "--set", "total_timesteps=120", "--set", "checkpoint.checkpoint_freq=60",
            "--set", "eval.n_eval_episodes=2", "--set", "ddpg.learning_starts=50", "--set", "ddpg.hidden_sizes=[16]", "--output", runDir);
        Assert.True(train.ExitCode == 0, train.ToString());

        var intact = Cli.Run("checkpoints", runDir, "--verify");
        Assert.True(intact.ExitCode == 0, intact.ToString());
        string[] lines = intact.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"\sVERIFIED\s+PATH$", lines[0]);
        Assert.All(lines[1..], line => Assert.Matches(@"\sok\s+\S+$", line));
        Assert.Equal("", intact.Error);

        // Whole as far as its manifest goes (hash recomputed), but its step disagrees with checkpoint.json's.
        string step60 = Path.Combine(runDir, "checkpoints", "step_60");
        string state = Path.Combine(step60, "state.bin");
        byte[] bytes = File.ReadAllBytes(state);
        BitConverter.GetBytes(61L).CopyTo(bytes, 12); // timesteps, after the magic, version and copy count
        File.WriteAllBytes(state, bytes);
        string manifestPath = Path.Combine(step60, CheckpointStore.ManifestFileName);
        var manifest = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var entry in manifest["files"]!.AsArray())
            if ((string)entry!["name"]! == "state.bin") entry["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        File.WriteAllText(manifestPath, manifest.ToJsonString());

        var damaged = Cli.Run("checkpoints", runDir, "--verify");
        Assert.True(damaged.ExitCode == 1, damaged.ToString());
        Assert.Matches(@"(?m)^step_60\s.*\sFAILED\s+\S*step_60$", damaged.Out);
        Assert.Matches(@"(?m)^step_120\s.*\sok\s", damaged.Out);
        Assert.Equal($"her-tools: {state}: timesteps: 61, but checkpoint.json says step 60", damaged.Error.Trim());

        var json = Cli.Run("checkpoints", runDir, "--verify", "--json");
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.Out);
        var items = document.RootElement.EnumerateArray().ToList();
        Assert.Equal([true, false],
            items.Where(i => !i.GetProperty("checkpoint").GetProperty("is_best").GetBoolean()).Select(i => i.GetProperty("is_valid").GetBoolean()));
    }
}
