using HerTools.Core.Config;

namespace HerTools.Core.Tests;

public class ConfigLoaderTests
{
    private static string WriteTemp(string yaml)
    {
        string path = Path.Combine(Path.GetTempPath(), $"hertools-config-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void Keys_absent_from_the_file_keep_their_defaults()
    {
        var config = ConfigLoader.LoadYaml("ddpg:\n  batch_size: 64\n", "t.yaml");
        Assert.Equal(64, config.Ddpg.BatchSize);
        Assert.Equal(new RunConfig().Ddpg.Gamma, config.Ddpg.Gamma);
        Assert.Equal("PointGoal-v0", config.Env.Id);
    }

    [Fact]
    public void An_unknown_key_is_refused_naming_the_key_the_file_and_the_line()
    {
        string path = WriteTemp("algo: her\nddpg:\n  batch_size: 64\n  bach_size: 32\n");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(path));
        Assert.Equal("ddpg.bach_size", e.Key);
        Assert.Equal(path, e.File);
        Assert.Equal(4, e.Line);
        Assert.Contains($"{path}:4", e.Message);
        Assert.Contains("did you mean 'ddpg.batch_size'", e.Message);
    }

    [Theory]
    [InlineData("ddpg:\n  batch_size: lots\n", "ddpg.batch_size", 2, "expected int")]
    [InlineData("ddpg:\n  gamma: 1.5\n", "ddpg.gamma", 2, "must be in (0, 1)")]
    [InlineData("algo: ppo\n", "algo", 1, "expected a registered algorithm (ddpg, her, sac, sac_her, td3, td3_her)")]
    [InlineData("seed: 1\nddpg:\n  hidden_sizes: 64\n", "ddpg.hidden_sizes", 3, "list of int")]
    [InlineData("her:\n  her_ratio: 2\n", "her.her_ratio", 2, "must be in [0, 1]")]
    [InlineData("ddpg:\n  clip_return: maybe\n", "ddpg.clip_return", 2, "expected bool")]
    public void A_bad_value_is_refused_naming_key_and_line(string yaml, string key, int line, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml(yaml, "c.yaml"));
        Assert.Equal(key, e.Key);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"c.yaml:{line}:", e.Message);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("/no/such/config.yaml"));
        Assert.Contains("/no/such/config.yaml", e.Message);
        Assert.Contains("not found", e.Message);
    }

    [Fact]
    public void Invalid_yaml_is_refused_with_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("algo: her\nddpg: [\n", "bad.yaml"));
        Assert.Equal("bad.yaml", e.File);
        Assert.NotNull(e.Line);
    }

    [Fact]
    public void Overrides_apply_in_order_and_read_values_as_yaml()
    {
        var config = ConfigLoader.LoadYaml("ddpg:\n  batch_size: 64\n", "t.yaml",
            ["ddpg.batch_size=128", "ddpg.hidden_sizes=[32, 16]", "ddpg.clip_return=true", "her.her_ratio=0.5", "ddpg.batch_size=100"]);
        Assert.Equal(100, config.Ddpg.BatchSize);
        Assert.Equal([32, 16], config.Ddpg.HiddenSizes);
        Assert.True(config.Ddpg.ClipReturn);
        Assert.Equal(0.5, config.Her.EffectiveRatio);
    }

    [Theory]
    [InlineData("ddpg.batch_size=abc", "ddpg.batch_size", "expected int")]
    [InlineData("ddpg.nope=1", "ddpg.nope", "unknown key")]
    [InlineData("no_equals_sign", null, "expected 'dotted.key=value'")]
    public void A_bad_override_is_refused_naming_the_override(string text, string? key, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("", "t.yaml", [text]));
        Assert.Equal(text, e.Override);
        Assert.Equal(key, e.Key);
        Assert.Contains($"override '{text}'", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_cross_key_problem_names_the_line_of_the_offending_key()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("ddpg:\n  buffer_size: 100\n  batch_size: 256\n", "x.yaml"));
        Assert.Equal("ddpg.batch_size", e.Key);
        Assert.Equal(3, e.Line);
    }

    [Theory]
    [InlineData(1_000_000_007UL, true)]
    [InlineData(1_000_000_016UL, true)]
    [InlineData(1_000_000_017UL, false)]
    [InlineData(1_000_000_006UL, false)]
    public void A_seed_among_the_evaluation_seeds_is_refused(ulong seed, bool refused)
    {
        string yaml = $"seed: {seed}\neval:\n  eval_seed: 1000000007\n  n_eval_episodes: 10\n";
        if (!refused)
        {
            Assert.Equal(seed, ConfigLoader.LoadYaml(yaml, "s.yaml").Seed);
            return;
        }
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml(yaml, "s.yaml"));
        Assert.Equal("seed", e.Key);
        Assert.Equal(1, e.Line);
        Assert.Contains("evaluation seeds (eval.eval_seed 1000000007 to 1000000016)", e.Message);
    }

    [Fact]
    public void N_envs_is_written_and_hashed_only_when_it_is_not_one()
    {
        var one = ConfigLoader.LoadYaml("seed: 3\n", "t.yaml");
        var explicitOne = ConfigLoader.LoadYaml("seed: 3\nn_envs: 1\n", "t.yaml");
        var four = ConfigLoader.LoadYaml("seed: 3\nn_envs: 4\n", "t.yaml");
        Assert.DoesNotContain("n_envs", one.ToYaml());
        Assert.Equal(one.ToYaml(), explicitOne.ToYaml());
        Assert.Equal(one.ComputeHash(), explicitOne.ComputeHash());
        Assert.Contains("n_envs: 4\n", four.ToYaml());
        Assert.NotEqual(one.ComputeHash(), four.ComputeHash());
        Assert.Equal(4, ConfigLoader.LoadYaml(four.ToYaml(), "again.yaml").NEnvs);
    }

    [Fact]
    public void Episodic_train_freq_with_several_environment_copies_is_refused_naming_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("n_envs: 2\nddpg:\n  train_freq_unit: episode\n", "e.yaml"));
        Assert.Equal("ddpg.train_freq_unit", e.Key);
        Assert.Equal(3, e.Line);
        Assert.Contains("must be step with n_envs = 2", e.Message);
    }

    [Fact]
    public void A_buffer_without_room_for_an_episode_of_every_copy_is_refused_naming_the_key()
    {
        var config = ConfigLoader.LoadYaml("n_envs: 4\nddpg:\n  buffer_size: 150\n  batch_size: 16\n", "b.yaml");
        var e = Assert.Throws<ConfigException>(() => ConfigValidator.CheckRunnable(config, 50, "b.yaml"));
        Assert.Equal("ddpg.buffer_size", e.Key);
        Assert.Equal(3, e.Line);
        Assert.Contains("for each of the n_envs = 4 copies (200 transitions), got 150", e.Message);
        ConfigValidator.CheckRunnable(ConfigLoader.LoadYaml("n_envs: 3\nddpg:\n  buffer_size: 150\n  batch_size: 16\n", "b.yaml"), 50, "b.yaml");
    }

    [Fact]
    public void Step_counts_may_be_written_in_scientific_notation()
    {
        var config = ConfigLoader.LoadYaml("total_timesteps: 2e4\n", "t.yaml");
        Assert.Equal(20_000, config.TotalTimesteps);
    }

    [Theory]
    [InlineData("point_goal", "her")]
    [InlineData("bitflip", "her")]
    [InlineData("point_goal_td3", "td3_her")]
    [InlineData("point_goal_sac", "sac_her")]
    [InlineData("push2d", "her")]
    public void Shipped_presets_load_from_the_assembly(string name, string algo)
    {
        var preset = Presets.Find(name);
        Assert.NotNull(preset);
        Assert.False(string.IsNullOrWhiteSpace(preset.Description));
        var config = ConfigLoader.LoadPreset(name);
        Assert.Equal(algo, config.Algo);
    }

    [Fact]
    public void Embedded_presets_equal_the_files_under_configs()
    {
        string repo = RepoPaths.Root;
        foreach (var preset in Presets.List())
            Assert.Equal(File.ReadAllText(Path.Combine(repo, "configs", "her", preset.Name + ".yaml")), preset.Yaml);
    }

    [Fact]
    public void An_unknown_preset_lists_the_shipped_ones()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadPreset("nope"));
        Assert.Contains("point_goal", e.Message);
    }

    [Fact]
    public void The_resolved_yaml_reads_back_to_the_same_config()
    {
        var config = ConfigLoader.LoadPreset("bitflip", ["ddpg.hidden_sizes=[8, 4]", "her.her_ratio=0.25", "run_id=abc"]);
        var again = ConfigLoader.LoadYaml(config.ToYaml(), "config.yaml");
        Assert.Equal(config.ToYaml(), again.ToYaml());
        Assert.Equal(config.ComputeHash(), again.ComputeHash());
    }

    [Fact]
    public void A_config_with_an_empty_run_id_reads_back_from_its_yaml()
    {
        var config = ConfigLoader.LoadPreset("point_goal");
        Assert.Equal("", config.RunId);
        Assert.Equal(config.ToYaml(), ConfigLoader.LoadYaml(config.ToYaml(), "config.yaml").ToYaml());
    }

    [Fact]
    public void The_config_hash_ignores_seed_and_run_id_but_not_settings()
    {
        var a = ConfigLoader.LoadPreset("point_goal", ["seed=1", "run_id=a"]);
        var b = ConfigLoader.LoadPreset("point_goal", ["seed=2", "run_id=b"]);
        var c = ConfigLoader.LoadPreset("point_goal", ["ddpg.tau=0.01"]);
        Assert.Equal(a.ComputeHash(), b.ComputeHash());
        Assert.NotEqual(a.ComputeHash(), c.ComputeHash());
    }

    [Fact]
    public void The_reference_page_lists_every_key_as_the_schema_does()
    {
        string pagePath = Path.Combine(RepoPaths.Root, "docs", "config.md");
        string page = File.ReadAllText(pagePath);
        const string begin = "<!-- keys:begin -->\n", end = "<!-- keys:end -->";
        string table = ConfigSchema.ToMarkdown();
        if (page.Contains(begin + table + end, StringComparison.Ordinal)) return;
        // HERTOOLS_UPDATE_DOCS=1 rewrites an out-of-date table from the schema, and the test still fails this time,
        // so a run never passes on a page it has just written.
        if (Environment.GetEnvironmentVariable("HERTOOLS_UPDATE_DOCS") == "1")
        {
            int b = page.IndexOf(begin, StringComparison.Ordinal) + begin.Length, e = page.IndexOf(end, StringComparison.Ordinal);
            File.WriteAllText(pagePath, page[..b] + table + page[e..]);
            Assert.Fail($"{pagePath} was out of date and has been rewritten from the schema: review the change and run the tests again");
        }
        Assert.Fail($"{pagePath} does not list the keys as the schema does: run the tests once with HERTOOLS_UPDATE_DOCS=1 to rewrite its table");
    }
}

public class ConfigEnvironmentOptionTests
{
    [Fact]
    public void Environment_options_sit_beside_the_id_and_reach_the_environment()
    {
        var config = ConfigLoader.LoadYaml("env:\n  id: BitFlip-v0\n  n_bits: 16\n", "t.yaml");
        Assert.Equal(16L, config.Env.Options["n_bits"]);
        var overridden = ConfigLoader.LoadPreset("bitflip", ["env.n_bits=12"]);
        Assert.Equal(12L, overridden.Env.Options["n_bits"]);
    }

    [Fact]
    public void An_unknown_environment_option_is_refused_with_its_line()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("seed: 1\nenv:\n  id: BitFlip-v0\n  n_bitz: 16\n", "t.yaml"));
        Assert.Equal("env.n_bitz", e.Key);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void An_out_of_range_environment_option_given_as_an_override_names_the_override()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadPreset("bitflip", ["env.n_bits=65"]));
        Assert.Equal("env.n_bits", e.Key);
        Assert.Equal("env.n_bits=65", e.Override);
        Assert.Contains("between 1 and 64", e.Message);
    }

    [Fact]
    public void An_unknown_environment_id_is_refused_naming_the_registered_ones()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("env:\n  id: PointGoal-v9\n", "t.yaml"));
        Assert.Equal("env.id", e.Key);
        Assert.Equal(2, e.Line);
        Assert.Contains("PointGoal-v0", e.Message);
    }
}
