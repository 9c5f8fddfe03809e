using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>How <c>algo:</c> picks a learner, the learners' own sections, and the combinations refused.</summary>
public class LearnerConfigTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-learners-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData("her", "ddpg", true)]
    [InlineData("ddpg", "ddpg", false)]
    [InlineData("td3_her", "td3", true)]
    [InlineData("td3", "td3", false)]
    [InlineData("sac_her", "sac", true)]
    [InlineData("sac", "sac", false)]
    public void Each_algo_names_a_learner_and_whether_it_relabels(string algo, string learner, bool relabels)
    {
        var spec = AlgorithmRegistry.Get(algo);
        Assert.Equal(learner, spec.Learner);
        Assert.Equal(relabels, spec.Relabels);
    }

    [Theory]
    // Computed by the build before TD3 and SAC existed: a DDPG config keeps its hash, so its runs still group with older ones.
    [InlineData("point_goal", "40a43a472ea8")]
    [InlineData("bitflip", "dfe266901073")]
    public void A_DDPG_config_writes_no_learner_sections_and_keeps_its_hash(string preset, string hashBefore)
    {
        var config = ConfigLoader.LoadPreset(preset);
        Assert.Equal(hashBefore, config.ComputeHash());
        Assert.DoesNotContain("td3:", config.ToYaml());
        Assert.DoesNotContain("sac:", config.ToYaml());
    }

    [Fact]
    public void A_learners_section_is_written_for_it_and_read_back()
    {
        var config = ConfigLoader.LoadYaml("algo: sac_her\nsac:\n  ent_coef: auto_0.1\n  target_entropy: -1.5\n", "c.yaml");
        string yaml = config.ToYaml();
        Assert.Contains("sac:\n  ent_coef: auto_0.1\n  target_entropy: '-1.5'\n", yaml);
        Assert.DoesNotContain("td3:", yaml);
        var again = ConfigLoader.LoadYaml(yaml, "again.yaml");
        Assert.Equal(yaml, again.ToYaml());
        Assert.Equal("-1.5", again.Sac.TargetEntropy);

        var td3 = ConfigLoader.LoadYaml("algo: td3\ntd3:\n  policy_delay: 3\n", "t.yaml");
        Assert.Contains("td3:\n  policy_delay: 3\n  target_policy_noise: 0.2\n  target_noise_clip: 0.5\n", td3.ToYaml());
        Assert.NotEqual(ConfigLoader.LoadYaml("algo: td3\n", "t.yaml").ComputeHash(), td3.ComputeHash());
    }

    [Theory]
    [InlineData("algo: her\ntd3:\n  policy_delay: 3\n", "td3.policy_delay", 3, "applies to the td3 learner, but algo 'her' learns with ddpg")]
    [InlineData("algo: td3_her\nsac:\n  ent_coef: 0.2\n", "sac.ent_coef", 3, "applies to the sac learner, but algo 'td3_her' learns with td3")]
    [InlineData("algo: sac_her\nddpg:\n  clip_return: true\n", "ddpg.clip_return", 3, "cannot be used with algo 'sac_her'")]
    [InlineData("algo: sac\nddpg:\n  action_l2: 1.0\n", "ddpg.action_l2", 3, "cannot be used with algo 'sac'")]
    [InlineData("algo: sac_her\nsac:\n  ent_coef: automatic\n", "sac.ent_coef", 3, "ent_coef must be 'auto', 'auto_<start>'")]
    [InlineData("algo: sac_her\nsac:\n  target_entropy: lots\n", "sac.target_entropy", 3, "target_entropy must be 'auto' or a number")]
    [InlineData("algo: td3_her\ntd3:\n  policy_delay: 0\n", "td3.policy_delay", 3, "must be at least 1")]
    public void A_bad_combination_is_refused_naming_the_key_and_line(string yaml, string key, int line, string problem)
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml(yaml, "c.yaml"));
        Assert.Equal(key, e.Key);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void SAC_logs_schema_2_with_its_columns_and_TD3_the_unchanged_schema_1()
    {
        string[] common = ["threads=1", "seed=3", "total_timesteps=600", "ddpg.learning_starts=300", "ddpg.action_l2=0",
            "log.log_interval=200", "eval.eval_freq=600", "eval.n_eval_episodes=5", "env.id=Push2D-v0"];
        var sac = HerTrainer.TrainHer(ConfigLoader.LoadPreset("point_goal", [.. common, "algo=sac_her"]), Path.Combine(_root, "sac"));
        var td3 = HerTrainer.TrainHer(ConfigLoader.LoadPreset("point_goal", [.. common, "algo=td3_her"]), Path.Combine(_root, "td3"));

        string sacHeader = File.ReadLines(sac.ProgressCsvPath).First(), td3Header = File.ReadLines(td3.ProgressCsvPath).First();
        Assert.EndsWith(",eval_success_rate,entropy_coef,actor_log_prob", sacHeader);
        Assert.EndsWith(",eval_success_rate", td3Header);
        Assert.StartsWith(td3Header, sacHeader);   // schema 2 only appends to schema 1

        var sacRows = CsvLog<ProgressRow>.ReadAll(sac.ProgressCsvPath);
        Assert.All(sacRows, r => Assert.Equal(2, r.SchemaVersion));
        Assert.Null(sacRows[0].EntropyCoef);                        // no update before learning_starts
        Assert.All(sacRows.Skip(1), r => Assert.InRange(r.EntropyCoef!.Value, 1e-4, 1.0));   // tuned down from 1
        Assert.All(sacRows.Skip(1), r => Assert.NotNull(r.ActorLogProb));
        var td3Rows = CsvLog<ProgressRow>.ReadAll(td3.ProgressCsvPath);
        Assert.All(td3Rows, r => Assert.Equal(1, r.SchemaVersion));
        Assert.All(td3Rows, r => Assert.Null(r.EntropyCoef));
        Assert.NotNull(td3Rows[^1].ActorLoss);
    }
}
