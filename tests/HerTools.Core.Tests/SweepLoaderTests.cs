using HerTools.Core.Config;
using HerTools.Core.Sweeps;

namespace HerTools.Core.Tests;

public sealed class SweepLoaderTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    private SweepDefinition Load(string yaml) => SweepLoader.LoadFile(_files.Write("sweep.yaml", yaml));

    [Fact]
    public void A_search_section_is_read_and_written_back_unchanged()
    {
        var d = Load("preset: point_goal\ngrid:\n  her.her_ratio: [0.0, 0.8]\nsearch:\n  rungs: [500, 1000]\n  metric: mean_final_distance\n" +
            "  seeds: separate\n");
        Assert.Equal(new long[] { 500, 1000 }, d.Search!.Rungs);
        Assert.Equal(3, d.Search.ReductionFactor);
        Assert.Equal(SearchDirection.Min, d.Search.Direction); // the default for a distance
        Assert.Equal(SearchSeedMode.Separate, d.Search.Seeds);
        Assert.Equal(d.Search.ToYaml(), SweepLoader.LoadYaml(d.ToYaml(), "again.yaml", _files.Root).Search!.ToYaml());
        Assert.Null(Load("preset: point_goal\n").Search);
    }

    [Fact]
    public void Every_section_of_a_sweep_file_is_read()
    {
        var d = Load("""
            preset: point_goal
            set:
              total_timesteps: 500
              ddpg.hidden_sizes: [32, 32]
            grid:
              her.her_ratio: [0.0, 0.8]
              her.goal_selection_strategy: [future, final]
            random:
              samples: 3
              seed: 42
              ddpg.actor_lr: {loguniform: [0.0001, 0.01]}
              ddpg.batch_size: {int: [16, 64]}
            seeds: [1, 2]
            backend: slurm
            local: {throttle: 2}
            slurm:
              partition: debug
              cpus_per_task: 2
              mem: 2G
              time: '00:30:00'
              max_concurrent: 4
              signal_seconds: 60
              sbatch_args: ['--qos=short']
            success_threshold: 0.75
            """);
        Assert.Equal("point_goal", d.Preset);
        Assert.Null(d.ConfigPath);
        Assert.Equal(["total_timesteps=500", "ddpg.hidden_sizes=[32, 32]"], d.Set.Select(o => o.Text));
        Assert.Equal(["her.her_ratio", "her.goal_selection_strategy"], d.Grid.Select(a => a.Key));
        Assert.Equal(["0.0", "0.8"], d.Grid[0].Values);
        Assert.Equal(3, d.Random!.Samples);
        Assert.Equal(42UL, d.Random.Seed);
        Assert.Equal(new SweepParameter("ddpg.actor_lr", SweepDistribution.LogUniform, [], 0.0001, 0.01) with { Choices = d.Random.Parameters[0].Choices },
            d.Random.Parameters[0]);
        Assert.Empty(d.Random.Parameters[0].Choices); // records compare arrays by reference: the line above cannot see them
        Assert.Equal((SweepDistribution.Int, 16.0, 64.0), (d.Random.Parameters[1].Distribution, d.Random.Parameters[1].Low, d.Random.Parameters[1].High));
        Assert.Equal([1UL, 2UL], d.Seeds);
        Assert.Equal(SweepBackend.Slurm, d.Backend);
        Assert.Equal(2, d.Local.Throttle);
        var expected = new SlurmSweepOptions
        {
            Partition = "debug", CpusPerTask = 2, Mem = "2G", Time = "00:30:00", MaxConcurrent = 4, SignalSeconds = 60, SbatchArgs = d.Slurm.SbatchArgs,
        };
        Assert.Equal(expected, d.Slurm);
        Assert.Equal(["--qos=short"], d.Slurm.SbatchArgs);
        Assert.Equal(0.75, d.SuccessThreshold);
        Assert.Equal(["her.her_ratio", "her.goal_selection_strategy", "ddpg.actor_lr", "ddpg.batch_size"], d.SearchKeys);
    }

    [Fact]
    public void Defaults_are_one_seed_from_the_base_local_backend_and_a_threshold_of_0_9()
    {
        var d = Load("preset: bitflip\n");
        Assert.Equal([0UL], d.Seeds);
        Assert.Equal(SweepBackend.Local, d.Backend);
        Assert.Null(d.Local.Throttle);
        Assert.Equal(Environment.ProcessorCount, d.Local.EffectiveThrottle);
        Assert.Equal(new SlurmSweepOptions { SbatchArgs = d.Slurm.SbatchArgs }, d.Slurm);
        Assert.Empty(d.Slurm.SbatchArgs);
        Assert.Equal(0.9, d.SuccessThreshold);
        Assert.Single(d.Expand());
    }

    [Fact]
    public void A_config_path_is_relative_to_the_sweep_file()
    {
        string config = _files.Write("configs/base.yaml", "total_timesteps: 700\n");
        string sweep = _files.Write("sweeps/s.yaml", "config: ../configs/base.yaml\nseeds: [3]\n");
        var d = SweepLoader.LoadFile(sweep);
        Assert.Equal(config, d.ConfigPath);
        var run = Assert.Single(d.Expand());
        var c = d.LoadRunConfig(run);
        Assert.Equal(700, c.TotalTimesteps);
        Assert.Equal(3UL, c.Seed);
    }

    [Theory]
    [InlineData("preset: point_goal\ngird:\n  her.her_ratio: [0.5]\n", "gird", 2, "did you mean 'grid'")]
    [InlineData("preset: point_goal\ngrid:\n  her.her_rato: [0.5]\n", "grid.her.her_rato", 3, "did you mean 'her.her_ratio'")]
    [InlineData("preset: point_goal\ngrid:\n  her.her_ratio: 0.5\n", "grid.her.her_ratio", 3, "non-empty list")]
    [InlineData("preset: point_goal\ngrid:\n  her.her_ratio: [0.5, 0.5]\n", "grid.her.her_ratio", 3, "0.5 appears twice")]
    [InlineData("preset: point_goal\ngrid:\n  her.her_ratio:\n    - {a: 1}\n", "grid.her.her_ratio", 4, "expected a value or a list of values")]
    [InlineData("preset: point_goal\nrandom:\n  ddpg.actor_lr: {loguniform: [0.0001, 0.01]}\n", "random.samples", 2, "needs 'samples: N'")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 0\n  ddpg.actor_lr: {uniform: [0.1, 0.2]}\n", "random.samples", 3, "must be in [1, 100000]")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.actor_lr: {loguniform: [0, 0.01]}\n", "random.ddpg.actor_lr", 4, "needs 0 < lo")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.tau: {uniform: [0.5, 0.1]}\n", "random.ddpg.tau", 4, "needs lo < hi")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.tau: {normal: [0.5, 0.1]}\n", "random.ddpg.tau", 4, "unknown distribution 'normal'")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.batch_size: {int: [64, 1.5]}\n", "random.ddpg.batch_size", 4,
        "expected an integer, got '1.5'")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.batch_size: {int: [0, 3000000000]}\n", "random.ddpg.batch_size", 4,
        "at most 2^31 - 1 apart")]
    [InlineData("preset: point_goal\nrandom:\n  samples: 2\n  ddpg.batch_size: 64\n", "random.ddpg.batch_size", 4, "expected one distribution")]
    [InlineData("preset: point_goal\nseeds: [1, 2, 1]\n", "seeds", 2, "seed 1 appears twice")]
    [InlineData("preset: point_goal\nseeds: [one]\n", "seeds", 2, "expected a non-negative integer, got 'one'")]
    [InlineData("preset: point_goal\nseeds: 3\n", "seeds", 2, "non-empty list of seeds")]
    [InlineData("preset: point_goal\nbackend: pbs\n", "backend", 2, "expected one of local, slurm, got 'pbs'")]
    [InlineData("preset: point_goal\nlocal:\n  throttle: 0\n", "local.throttle", 3, "must be in [1, 4096], got 0")]
    [InlineData("preset: point_goal\nlocal:\n  throtle: 2\n", "local.throtle", 3, "did you mean 'local.throttle'")]
    [InlineData("preset: point_goal\nslurm:\n  time: soon\n", "slurm.time", 3, "expected a Slurm time")]
    [InlineData("preset: point_goal\nslurm:\n  mem: lots\n", "slurm.mem", 3, "expected a size like 2G")]
    [InlineData("preset: point_goal\nslurm:\n  cpus_per_task: two\n", "slurm.cpus_per_task", 3, "expected int, got 'two'")]
    [InlineData("preset: point_goal\nslurm:\n  sbatch_args: ['--array=0-3']\n", "slurm.sbatch_args", 3, "the sweep sets --array itself")]
    [InlineData("preset: point_goal\nsuccess_threshold: 1.5\n", "success_threshold", 2, "must be in [0, 1], got 1.5")]
    [InlineData("preset: point_goal\nset:\n  ddpg.batch_size: abc\n", "ddpg.batch_size", 3, "expected int, got 'abc'")]
    [InlineData("preset: point_goal\nset:\n  total_timesteps: 100\n  ddpg.batch_size: 200000\n", "ddpg.batch_size", 4, "must not exceed ddpg.buffer_size")]
    [InlineData("preset: point_goal\nset:\n  seed: 3\n", "set.seed", 3, "listed in 'seeds:'")]
    [InlineData("preset: point_goal\ngrid:\n  run_id: [a, b]\n", "grid.run_id", 3, "its own id")]
    [InlineData("preset: point_goal\nset:\n  her.her_ratio: 0.5\ngrid:\n  her.her_ratio: [0.1, 0.2]\n", "grid.her.her_ratio", 5, "already in set (line 3)")]
    [InlineData("preset: bitflip\ngrid:\n  env.n_bitz: [5, 10]\n", "env.n_bitz", 3, "BitFlip-v0 has no option 'n_bitz'")]
    [InlineData("preset: point_goal\nconfig: base.yaml\n", "config", 2, "either 'preset:' or 'config:'")]
    [InlineData("preset: pointgoal\n", "preset", 1, "unknown preset 'pointgoal'")]
    [InlineData("config: missing.yaml\n", "config", 1, "config file not found")]
    [InlineData("preset: point_goal\ngrid: [1, 2]\n", "grid", 2, "expected a mapping of keys")]
    [InlineData("preset: point_goal\ngrid:\n  her.her_ratio: [0.1\n", null, 4, "not valid YAML")]
    [InlineData("preset: point_goal\nsearch:\n  reduction_factor: 2\n", "search.rungs", 2, "needs 'rungs:'")]
    [InlineData("preset: point_goal\nsearch:\n  rungs: [500, 250]\n", "search.rungs", 3, "rungs must increase: 250 follows 500")]
    [InlineData("preset: point_goal\nsearch:\n  rungs: [250, 600]\n", "search.rungs", 3, "rung 600 is not a multiple of eval.eval_freq (250)")]
    [InlineData("preset: point_goal\ngrid:\n  total_timesteps: [500, 1000]\nsearch:\n  rungs: [250]\n", "search.rungs", 5,
        "'total_timesteps' is in grid (line 3)")]
    [InlineData("preset: point_goal\ngrid:\n  eval.eval_freq: [50, 100]\nsearch:\n  rungs: [500]\n", "search.rungs", 5, "give it one value in 'set:'")]
    [InlineData("preset: point_goal\nsearch:\n  rungs: [250]\n  metric: reward\n", "search.metric", 4, "expected one of success_rate")]
    [InlineData("preset: point_goal\nsearch:\n  rungs: [250]\n  reduction_factor: 1\n", "search.reduction_factor", 4, "must be in [2, 1000]")]
    [InlineData("preset: point_goal\nsearch:\n  rungs: [250]\n  seeds: mean\n", "search.seeds", 4, "expected aggregate")]
    [InlineData("preset: point_goal\nsearch:\n  rung: [250]\n", "search.rung", 3, "did you mean 'search.rungs'")]
    public void A_bad_sweep_file_is_refused_naming_key_file_and_line(string yaml, string? key, int line, string problem)
    {
        string path = _files.Write("bad.yaml", yaml);
        var e = Assert.Throws<ConfigException>(() => SweepLoader.LoadFile(path));
        Assert.Equal(key, e.Key);
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Message);
        Assert.StartsWith($"{path}:{line}: ", e.Message);
    }

    [Fact]
    public void A_sweep_without_a_base_is_refused()
    {
        string path = _files.Write("nobase.yaml", "seeds: [1]\n");
        var e = Assert.Throws<ConfigException>(() => SweepLoader.LoadFile(path));
        Assert.Equal(path, e.File);
        Assert.Contains("needs a base", e.Message);
    }

    [Fact]
    public void An_error_in_the_base_config_names_the_base_file_and_line()
    {
        string config = _files.Write("base.yaml", "ddpg:\n  gamma: 2\n");
        string sweep = _files.Write("s.yaml", "config: base.yaml\n");
        var e = Assert.Throws<ConfigException>(() => SweepLoader.LoadFile(sweep));
        Assert.Equal(config, e.File);
        Assert.Equal(2, e.Line);
        Assert.Equal("ddpg.gamma", e.Key);
    }

    [Fact]
    public void Random_draws_are_the_same_for_the_same_file_and_differ_for_another_seed()
    {
        const string yaml = "preset: point_goal\nrandom:\n  samples: 5\n  ddpg.tau: {uniform: [0.01, 0.1]}\n  her.goal_selection_strategy: {choice: [future, " +
            "final, episode]}\n";
        var first = Load(yaml).Expand();
        var again = Load(yaml).Expand();
        Assert.Equal(first.Select(r => (r.RunId, string.Join(";", r.Point.Select(p => p.Text)))),
                     again.Select(r => (r.RunId, string.Join(";", r.Point.Select(p => p.Text)))));

        var withSeed = Load(yaml.Replace("samples: 5\n", "samples: 5\n  seed: 7\n")).Expand();
        var withOtherSeed = Load(yaml.Replace("samples: 5\n", "samples: 5\n  seed: 8\n")).Expand();
        Assert.NotEqual(withSeed.Select(r => r.Point[0].Value), withOtherSeed.Select(r => r.Point[0].Value));
        Assert.Equal(withSeed.Select(r => r.Point[0].Value), Load(yaml.Replace("samples: 5\n",
            "samples: 5\n  seed: 7\n")).Expand().Select(r => r.Point[0].Value));
    }

    [Fact]
    public void Without_random_seed_the_draws_follow_from_the_file_text()
    {
        const string yaml = "preset: point_goal\nrandom:\n  samples: 4\n  ddpg.tau: {uniform: [0.01, 0.1]}\n";
        var a = Load(yaml);
        var b = Load("# another comment changes the text\n" + yaml);
        Assert.Equal(a.Random!.Seed, Load(yaml).Random!.Seed);
        Assert.NotEqual(a.Random.Seed, b.Random!.Seed);
        Assert.NotEqual(a.Expand().Select(r => r.Point[0].Value), b.Expand().Select(r => r.Point[0].Value));
    }

    [Fact]
    public void Random_draws_stay_within_their_distributions()
    {
        var d = Load("""
            preset: point_goal
            random:
              samples: 400
              seed: 11
              ddpg.tau: {uniform: [0.01, 0.1]}
              ddpg.actor_lr: {loguniform: [0.0001, 0.01]}
              ddpg.batch_size: {int: [1, 3]}
              her.goal_selection_strategy: {choice: [future, final]}
            """);
        var runs = d.Expand();
        Assert.Equal(400, runs.Count);
        double[] tau = runs.Select(r => double.Parse(r.Point[0].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        double[] lr = runs.Select(r => double.Parse(r.Point[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        string[] batch = runs.Select(r => r.Point[2].Value).ToArray();
        string[] strategy = runs.Select(r => r.Point[3].Value).ToArray();

        Assert.All(tau, t => Assert.InRange(t, 0.01, 0.1));
        Assert.All(lr, l => Assert.InRange(l, 0.0001, 0.01));
        Assert.All(batch, b => Assert.Contains(b, new[] { "1", "2", "3" }));
        Assert.All(strategy, s => Assert.Contains(s, new[] { "future", "final" }));
        // Both ends of an int range come up; a log-uniform draw has half its mass below the geometric mean (1e-3).
        Assert.Equal(["1", "2", "3"], batch.Distinct().Order());
        double belowGeometricMean = lr.Count(l => l < 0.001) / 400.0;
        Assert.InRange(belowGeometricMean, 0.4, 0.6);
        double belowMidpoint = tau.Count(t => t < 0.055) / 400.0;
        Assert.InRange(belowMidpoint, 0.4, 0.6);
        // Every sampled value is a valid override for its key.
        foreach (var run in runs.Take(20)) d.LoadRunConfig(run);
    }
}
