using System.Text.Json;
using HerTools.Core.Checkpoints;

namespace HerTools.Cli.Tests;

public class EvalCommandTests(EvalCommandTests.TrainedRun trained) : IClassFixture<EvalCommandTests.TrainedRun>
{
    /// <summary>One tiny training run, made on first use and shared by the tests of this class.</summary>
    public sealed class TrainedRun : IDisposable
    {
        private readonly TempDirectory _dir = new();
        private readonly Lazy<string> _runDirectory;

        public TrainedRun()
        {
            _runDirectory = new(() =>
            {
                string runDirectory = _dir.Combine("run");
                var run = Cli.Run("train", "--preset", "point_goal", "--set", "total_timesteps=300", "--set", "eval.n_eval_episodes=5",
                    "--set", "ddpg.learning_starts=100", "--set", "eval.eval_seed=500", "--output", runDirectory);
                Assert.True(run.ExitCode == 0, run.ToString());
                return runDirectory;
            });
        }

        public string RunDirectory => _runDirectory.Value;

        public string LatestCheckpoint => CheckpointStore.Latest(RunDirectory)!.Path;

        public void Dispose() => _dir.Dispose();
    }

    [Fact]
    public void Eval_json_has_the_evaluation_record_shape_with_one_entry_per_episode_seeded_in_order()
    {
        var run = Cli.Run("eval", trained.LatestCheckpoint, "--episodes", "4", "--seed", "77", "--json");
        Assert.True(run.ExitCode == 0, run.ToString());

        using var json = JsonDocument.Parse(run.Out);
        var root = json.RootElement;
        Assert.Equal(["episode_count", "success_rate", "mean_return", "mean_final_distance", "episodes", "first_seed"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(77UL, root.GetProperty("first_seed").GetUInt64());
        Assert.Equal(4, root.GetProperty("episode_count").GetInt32());
        var episodes = root.GetProperty("episodes").EnumerateArray().ToList();
        Assert.Equal([0, 1, 2, 3], episodes.Select(e => e.GetProperty("index").GetInt32()));
        Assert.Equal([77UL, 78, 79, 80], episodes.Select(e => e.GetProperty("seed").GetUInt64()));
        Assert.Equal(["index", "seed", "success", "return", "final_distance", "length"], episodes[0].EnumerateObject().Select(p => p.Name));
        double successShare = episodes.Count(e => e.GetProperty("success").GetBoolean()) / 4.0;
        Assert.Equal(successShare, root.GetProperty("success_rate").GetDouble(), 12);
    }

    [Fact]
    public void Eval_of_a_run_folder_evaluates_its_latest_checkpoint_on_the_runs_evaluation_seeds()
    {
        var run = Cli.Run("eval", trained.RunDirectory, "--episodes", "3");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains($"checkpoint", run.Out);
        Assert.Contains(trained.LatestCheckpoint, run.Out);
        Assert.Matches(@"episodes\s+3 \(reset seeds 500\.\.502\)", run.Out); // the run's eval.eval_seed
        Assert.Matches(@"success rate\s+[01]\.\d{3}", run.Out);
    }

    [Fact]
    public void Eval_of_a_path_that_does_not_exist_is_bad_usage()
    {
        using var dir = new TempDirectory();
        var run = Cli.Run("eval", dir.Combine("run", "checkpoints", "step_5"));
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("checkpoint not found", run.Error);
    }

    [Fact]
    public void Eval_of_a_folder_that_is_not_a_checkpoint_is_a_failure_naming_it()
    {
        using var dir = new TempDirectory();
        var run = Cli.Run("eval", dir.Path);
        Assert.Equal(ExitCodes.RuntimeFailure, run.ExitCode);
        Assert.Contains(dir.Path, run.Error);
        Assert.Equal(1, run.Error.Count(c => c == '\n'));
    }
}
