using System.Text.RegularExpressions;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;

namespace HerTools.Cli.Tests;

public class TrainCommandTests
{
    // A budget that trains, evaluates and checkpoints in seconds.
    private static readonly string[] Tiny = ["--set", "total_timesteps=300", "--set", "eval.n_eval_episodes=5", "--set", "eval.eval_freq=150",
        "--set", "log.log_interval=100", "--set", "ddpg.learning_starts=100"];

    [Fact]
    public void A_config_with_an_unknown_key_is_bad_usage_naming_key_file_and_line()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("bad.yaml", "algo: her\nddpg:\n  batch_size: 64\n  batchsize: 32\n");
        var run = Cli.Run("train", config, "--output", dir.Combine("run"));
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal($"her-tools: {config}:4: key 'ddpg.batchsize': unknown key (did you mean 'ddpg.batch_size'?)\n", run.Error.ReplaceLineEndings("\n"));
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void A_config_with_a_bad_value_names_key_file_and_line()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("bad.yaml", "total_timesteps: 1000\neval:\n  n_eval_episodes: many\n");
        var run = Cli.Run("train", config);
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.StartsWith($"her-tools: {config}:3: key 'eval.n_eval_episodes': ", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
    }

    [Fact]
    public void An_environment_option_out_of_range_names_the_env_key_file_and_line()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("bitflip.yaml", "env:\n  id: BitFlip-v0\n  n_bits: 100\n");
        var run = Cli.Run("train", config);
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal($"her-tools: {config}:3: key 'env.n_bits': BitFlip-v0: option 'n_bits' must be between 1 and 64, got 100\n",
            run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_to_the_one_line_error()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("bad.yaml", "nonsense: 1\n");
        var run = Cli.Run("train", config, "--verbose");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.StartsWith($"her-tools: {config}:1: key 'nonsense': unknown key", run.Error);
        Assert.Contains("HerTools.Core.Config.ConfigException", run.Error);
        Assert.Contains("   at ", run.Error);
    }

    [Fact]
    public void A_missing_config_file_is_bad_usage()
    {
        using var dir = new TempDirectory();
        string missing = dir.Combine("nope.yaml");
        var run = Cli.Run("train", missing);
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal($"her-tools: {missing}: config file not found\n", run.Error.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void An_unknown_preset_is_bad_usage()
    {
        var run = Cli.Run("train", "--preset", "point-goal");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("unknown preset 'point-goal'; shipped presets: bitflip, point_goal", run.Error);
    }

    [Fact]
    public void A_bad_override_is_bad_usage_naming_the_override()
    {
        var run = Cli.Run("train", "--preset", "point_goal", "--set", "ddpg.batch_size=abc");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.StartsWith("her-tools: override 'ddpg.batch_size=abc': key 'ddpg.batch_size': ", run.Error);
    }

    [Fact]
    public void Both_a_config_file_and_a_preset_is_bad_usage()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("ok.yaml", "total_timesteps: 1000\n");
        var run = Cli.Run("train", config, "--preset", "point_goal");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("not both", run.Error);
    }

    [Fact]
    public void Neither_a_config_file_nor_a_preset_is_bad_usage()
    {
        var run = Cli.Run("train", "--seed", "3");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("--preset NAME", run.Error);
    }

    [Fact]
    public void Resuming_from_a_checkpoint_that_does_not_exist_is_bad_usage()
    {
        using var dir = new TempDirectory();
        var run = Cli.Run("train", "--preset", "point_goal", "--resume", dir.Combine("run", "checkpoints", "step_100"));
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("checkpoint not found", run.Error);
    }

    [Fact]
    public void Train_runs_a_tiny_budget_and_prints_a_summary_of_where_everything_is()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        var run = Cli.Run(["train", "--preset", "point_goal", .. Tiny, "--seed", "3", "--output", runDir]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("Training completed", run.Out);
        Assert.Contains(RunFiles.ProgressPath(runDir), run.Out);
        Assert.Contains(RunFiles.EvalPath(runDir), run.Out);
        Assert.Matches(@"steps/s\s+\d", run.Out);
        Assert.Matches(@"eval success\s+final \d\.\d\d, best \d\.\d\d", run.Out);
        Assert.True(File.Exists(RunFiles.ConfigPath(runDir)));
        // --seed and the overrides reached the engine.
        var progress = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir));
        Assert.Equal(3UL, progress[0].Seed);
        Assert.Equal(300, progress[^1].Timesteps);
        var evaluations = CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(runDir));
        Assert.Equal([150L, 300L], evaluations.Select(e => e.Timesteps));
        Assert.Contains("  n_eval_episodes: 5\n", File.ReadAllText(RunFiles.ConfigPath(runDir)).ReplaceLineEndings("\n"));
        Assert.Equal(300, CheckpointStore.Latest(runDir)!.Step);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Train_stopped_by_cancellation_writes_a_checkpoint_and_exits_130()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        using var stop = new CancellationTokenSource();
        stop.Cancel();
        var run = Cli.Run(stop.Token, ["train", "--preset", "point_goal", .. Tiny, "--output", runDir]);
        Assert.True(run.ExitCode == ExitCodes.Stopped, run.ToString());
        Assert.Contains("Training stopped", run.Out);
        Assert.Contains("Resume with: her-tools train --resume ", run.Out);
        Assert.NotNull(CheckpointStore.Latest(runDir));
    }

    [Fact]
    public void Train_resume_continues_the_run_from_its_checkpoint_into_the_same_folder()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        var first = Cli.Run(["train", "--preset", "point_goal", .. Tiny, "--output", runDir]);
        Assert.True(first.ExitCode == 0, first.ToString());
        string checkpoint = CheckpointStore.Latest(runDir)!.Path;

        var resumed = Cli.Run("train", "--resume", checkpoint, "--total-timesteps", "400");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Matches($@"run folder\s+{Regex.Escape(runDir)}\n", resumed.Out.ReplaceLineEndings("\n"));
        Assert.Equal(400, CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir))[^1].Timesteps);
    }
}
