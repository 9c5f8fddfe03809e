using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Cli.Tests;

/// <summary>Each input that crashed, hung or misled the installed tool: now a one-line config error (exit 2) naming the
/// file and line, or a refusal before anything is written.</summary>
public class HostileInputTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static void AssertConfigError(CliRun run, string file, string problem)
    {
        Assert.True(run.ExitCode == ExitCodes.BadUsage, run.ToString());
        Assert.Matches($@"^her-tools: {System.Text.RegularExpressions.Regex.Escape(file)}:\d+: .*{problem}", run.Error);
        Assert.DoesNotContain("   at ", run.Error);
        Assert.Single(run.Error.TrimEnd('\n').Split('\n'));
    }

    [Fact]
    public void Deep_nesting_is_a_config_error_not_a_stack_overflow()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("deep.yaml", "ddpg: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        var run = InstalledTool.Run(Patience, null, "train", config, "--output", dir.Combine("run"));
        AssertConfigError(run, config, "nested more than 32 levels deep");
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void An_alias_as_a_mapping_key_is_a_config_error_not_a_hang()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("alias.yaml", "seed: &s 3\n*s : 4\n");
        AssertConfigError(InstalledTool.Run(Patience, null, "train", config), config, "a key must be a plain name, not an alias");
    }

    [Fact]
    public void A_complex_key_is_a_config_error_not_a_cast_failure()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("complex.yaml", "? [a, b]\n: 1\n");
        AssertConfigError(InstalledTool.Run(Patience, null, "train", config), config, "a key must be a plain name, not a mapping or a list");
    }

    [Fact]
    public void A_complex_key_in_a_sweep_file_and_a_hostile_set_value_are_config_errors()
    {
        using var dir = new TempDirectory();
        string sweep = dir.WriteFile("sweep.yaml", "preset: point_goal\ngrid:\n  ? {a: 1}\n  : [1, 2]\n");
        AssertConfigError(InstalledTool.Run(Patience, null, "sweep", "run", sweep, "--output", dir.Combine("out")), sweep, "a key must be a plain name");

        var set = InstalledTool.Run(Patience, null, "train", "--preset", "point_goal", "--set", "seed=" + new string('[', 10_000));
        Assert.True(set.ExitCode == ExitCodes.BadUsage, set.ToString());
        Assert.StartsWith("her-tools: override 'seed=[[[", set.Error);
        Assert.DoesNotContain("   at ", set.Error);
    }

    [Fact]
    public void A_run_id_with_a_line_break_is_refused_before_training_naming_the_key()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("newline.yaml", "total_timesteps: 100\nrun_id: \"two\\nlines\"\n");
        var run = InstalledTool.Run(Patience, null, "train", config, "--output", dir.Combine("run"));
        AssertConfigError(run, config, "key 'run_id': must not contain line breaks");
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void A_sweep_grid_whose_size_overflows_64_bits_is_refused_with_its_size()
    {
        using var dir = new TempDirectory();
        string[] keys = ["ddpg.tau", "ddpg.gamma", "ddpg.actor_lr", "ddpg.critic_lr", "ddpg.noise_sigma", "ddpg.random_eps", "ddpg.action_l2"];
        string values = "[" + string.Join(", ",
            Enumerable.Range(1, 600).Select(i => (i / 1000.0).ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";
        string sweep = dir.WriteFile("huge.yaml", "preset: point_goal\ngrid:\n" + string.Concat(keys.Select(k => $"  {k}: {values}\n")));
        var run = InstalledTool.Run(Patience, null, "sweep", "run", sweep, "--output", dir.Combine("out"));
        Assert.True(run.ExitCode == ExitCodes.BadUsage, run.ToString());
        Assert.Contains("the sweep expands to more than 2^63 runs; at most 100000 are supported", run.Error);
        Assert.False(Directory.Exists(dir.Combine("out")));
    }

    [Fact]
    public void An_empty_config_file_is_refused()
    {
        using var dir = new TempDirectory();
        string config = dir.WriteFile("empty.yaml", "# nothing yet\n");
        var run = InstalledTool.Run(Patience, null, "train", config, "--output", dir.Combine("run"));
        Assert.True(run.ExitCode == ExitCodes.BadUsage, run.ToString());
        Assert.Equal($"her-tools: {config}: the config file is empty; give at least one key (or start from a preset: --preset NAME)\n", run.Error);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void A_buffer_smaller_than_one_episode_is_refused_before_any_folder_is_made()
    {
        using var dir = new TempDirectory();
        var run = InstalledTool.Run(Patience, null, "train", "--preset", "point_goal", "--set", "ddpg.buffer_size=10", "--set", "ddpg.batch_size=8",
            "--output", dir.Combine("run"));
        Assert.True(run.ExitCode == ExitCodes.BadUsage, run.ToString());
        Assert.Contains("key 'ddpg.buffer_size': must hold at least one whole episode of PointGoal-v0", run.Error);
        Assert.False(Directory.Exists(dir.Combine("run")));
    }

    [Fact]
    public void Training_into_a_folder_with_a_users_config_yaml_leaves_the_file_alone()
    {
        using var dir = new TempDirectory();
        string mine = dir.WriteFile("config.yaml", "total_timesteps: 100\n");
        var run = InstalledTool.Run(Patience, null, "train", mine, "--output", dir.Path);
        Assert.True(run.ExitCode == ExitCodes.RuntimeFailure, run.ToString());
        Assert.Contains("already holds a run (config.yaml)", run.Error);
        Assert.Equal("total_timesteps: 100\n", File.ReadAllText(mine));
        Assert.False(File.Exists(RunFiles.ProgressPath(dir.Path)));
    }
}
