using HerTools.Core.Sweeps;

namespace HerTools.Core.Tests;

public sealed class SweepDefinitionTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SweepDefinition Load(string yaml) => SweepLoader.LoadFile(_files.Write("sweep.yaml", yaml));

    [Fact]
    public void Grid_points_cross_random_samples_cross_seeds_in_a_fixed_order()
    {
        var d = Load("""
            preset: point_goal
            grid:
              her.her_ratio: [0.0, 0.5]
              her.goal_selection_strategy: [future, final, episode]
            random:
              samples: 2
              seed: 5
              ddpg.tau: {uniform: [0.01, 0.1]}
            seeds: [10, 20, 30]
            """);
        var runs = d.Expand();
        Assert.Equal(2 * 3 * 2 * 3, runs.Count);
        Assert.Equal(36, d.RunCount);
        Assert.Equal(Enumerable.Range(0, 36), runs.Select(r => r.Index));
        // Seeds vary fastest, then random samples, then the last grid key; the first grid key slowest.
        Assert.Equal([10UL, 20UL, 30UL, 10UL], runs.Take(4).Select(r => r.Seed));
        Assert.Equal(runs[0].Point[2], runs[2].Point[2]);
        Assert.NotEqual(runs[0].Point[2], runs[3].Point[2]);
        Assert.Equal(["future", "future", "future", "future", "future", "future", "final"], runs.Take(7).Select(r => r.Point[1].Value));
        Assert.All(runs.Take(18), r => Assert.Equal("0.0", r.Point[0].Value));
        Assert.All(runs.Skip(18), r => Assert.Equal("0.5", r.Point[0].Value));
        // The random samples are drawn once and crossed with every grid point.
        var samples = runs.Take(6).Select(r => r.Point[2].Value).Distinct().ToList();
        Assert.Equal(2, samples.Count);
        Assert.All(runs, r => Assert.Contains(r.Point[2].Value, samples));
        Assert.Equal(36, runs.Select(r => r.RunId).Distinct().Count());
    }

    [Fact]
    public void Run_ids_are_readable_and_the_same_on_every_expansion()
    {
        const string yaml = "preset: point_goal\ngrid:\n  her.her_ratio: [0.0, 0.5]\n  ddpg.hidden_sizes: [[64, 64], [128]]\nseeds: [1, 2]\n";
        var runs = Load(yaml).Expand();
        Assert.Equal(
        [
            "r000-her_ratio=0.0-hidden_sizes=64_64-seed=1",
            "r001-her_ratio=0.0-hidden_sizes=64_64-seed=2",
            "r002-her_ratio=0.0-hidden_sizes=128-seed=1",
            "r003-her_ratio=0.0-hidden_sizes=128-seed=2",
            "r004-her_ratio=0.5-hidden_sizes=64_64-seed=1",
            "r005-her_ratio=0.5-hidden_sizes=64_64-seed=2",
            "r006-her_ratio=0.5-hidden_sizes=128-seed=1",
            "r007-her_ratio=0.5-hidden_sizes=128-seed=2",
        ], runs.Select(r => r.RunId));
        Assert.Equal("ddpg.hidden_sizes=[64, 64]", runs[0].Point[1].Text);
        Assert.Equal(runs.Select(r => r.RunId), Load(yaml).Expand().Select(r => r.RunId));
    }

    [Fact]
    public void Random_reals_are_shortened_in_the_id_but_kept_whole_in_the_overrides()
    {
        var d = Load("preset: point_goal\nrandom:\n  samples: 1\n  seed: 3\n  ddpg.actor_lr: {loguniform: [0.0001, 0.01]}\n");
        var run = Assert.Single(d.Expand());
        double value = double.Parse(run.Point[0].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(run.Point[0].Value.Length > 8, run.Point[0].Value);
        Assert.Equal($"r000-actor_lr={value.ToString("G4", System.Globalization.CultureInfo.InvariantCulture)}-seed=0", run.RunId);
        Assert.Equal(value, d.LoadRunConfig(run).Ddpg.ActorLr);
    }

    [Fact]
    public void Ids_of_large_sweeps_are_padded_and_long_labels_end_in_a_hash()
    {
        var many = Load("preset: point_goal\ngrid:\n  ddpg.batch_size: [" + string.Join(", ", Enumerable.Range(1, 1001)) + "]\n").Expand();
        Assert.Equal("r0000-batch_size=1-seed=0", many[0].RunId);
        Assert.Equal("r1000-batch_size=1001-seed=0", many[1000].RunId);

        string strategies = "[future, final]";
        var longOne = Load($"preset: point_goal\ngrid:\n  her.goal_selection_strategy: {strategies}\n  ddpg.activation: [leaky_relu]\n  " +
            $"ddpg.train_freq_unit: [episode]\n  ddpg.action_noise: [ornstein_uhlenbeck]\n  ddpg.hidden_sizes: [[256, 256, 256]]\n").Expand();
        Assert.All(longOne, r => Assert.True(r.RunId.Length <= 85, r.RunId));
        Assert.Matches("^r000-goal_selection_strategy=future-activation=leaky_relu-.*-[0-9a-f]{8}$", longOne[0].RunId);
        Assert.NotEqual(longOne[0].RunId[^8..], longOne[1].RunId[^8..]);
    }

    [Fact]
    public void A_run_config_is_the_base_with_one_thread_the_set_overrides_its_point_and_its_seed()
    {
        var d = Load("preset: point_goal\nset:\n  total_timesteps: 500\ngrid:\n  her.her_ratio: [0.25]\nseeds: [9]\n");
        var run = Assert.Single(d.Expand());
        Assert.Equal(["threads=1", "total_timesteps=500", "her.her_ratio=0.25", "seed=9"], d.RunOverrides(run));
        var config = d.LoadRunConfig(run);
        Assert.Equal(1, config.Threads);
        Assert.Equal(500, config.TotalTimesteps);
        Assert.Equal(0.25, config.Her.HerRatio);
        Assert.Equal(9UL, config.Seed);
        Assert.Equal(128, config.Ddpg.BatchSize); // the preset's
    }

    [Fact]
    public void The_resolved_yaml_reads_back_to_the_same_runs()
    {
        var d = Load("""
            preset: point_goal
            set: {total_timesteps: 500, env.max_episode_steps: 40}
            grid:
              her.her_ratio: [0.0, 0.5]
            random:
              samples: 3
              ddpg.actor_lr: {loguniform: [0.0001, 0.01]}
              her.goal_selection_strategy: {choice: [future, 'final']}
              ddpg.batch_size: {int: [16, 64]}
            seeds: [4, 5]
            slurm: {time: '1:00:00', sbatch_args: ['--qos=it''s']}
            """);
        string yaml = d.ToYaml();
        var back = SweepLoader.LoadYaml(yaml, "resolved.yaml", _files.Root);
        Assert.Equal(d.Expand().Select(r => (r.RunId, string.Join(";", r.Point.Select(p => p.Text)), r.Seed)),
                     back.Expand().Select(r => (r.RunId, string.Join(";", r.Point.Select(p => p.Text)), r.Seed)));
        Assert.Equal(d.Set, back.Set);
        Assert.Equal(d.Slurm.SbatchArgs, back.Slurm.SbatchArgs);
        Assert.Equal(d.Slurm.Time, back.Slurm.Time);
        Assert.Equal(yaml, back.ToYaml());
    }
}
