using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Scalars;
using HerTools.Core.Sweeps;

namespace HerTools.Core.Tests;

/// <summary>The one number rule, and that config files, overrides, environment options and sweep files all follow it.</summary>
public sealed class ScalarTextTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData("1000000")]
    [InlineData("1_000_000")]
    [InlineData("1e6")]
    [InlineData("1E+6")]
    [InlineData("1000000.0")]
    [InlineData(" 1000000 ")]
    public void A_million_reads_as_an_integer_in_every_notation(string text)
    {
        Assert.True(ScalarText.TryParseInteger(text, out int i));
        Assert.True(ScalarText.TryParseInteger(text, out long l));
        Assert.True(ScalarText.TryParseInteger(text, out ulong u));
        Assert.Equal((1_000_000, 1_000_000L, 1_000_000UL), (i, l, u));
    }

    [Theory]
    [InlineData("1.5")]          // not whole
    [InlineData("1e300")]        // whole, but beyond what a double holds exactly
    [InlineData("1__000")]       // separators only between two digits
    [InlineData("_1000")]
    [InlineData("1000_")]
    [InlineData("3e9")]          // does not fit an int
    [InlineData("NaN")]
    [InlineData("")]
    [InlineData("lots")]
    public void Text_that_is_not_an_exact_int_is_refused(string text) =>
        Assert.False(ScalarText.TryParseInteger(text, out int _));

    [Fact]
    public void A_negative_number_is_no_unsigned_integer()
    {
        Assert.False(ScalarText.TryParseInteger("-1", out ulong _));
        Assert.False(ScalarText.TryParseInteger("-1e3", out ulong _));
        Assert.True(ScalarText.TryParseInteger("18446744073709551615", out ulong max));
        Assert.Equal(ulong.MaxValue, max);
    }

    [Fact]
    public void Reals_take_separators_and_must_be_finite()
    {
        Assert.True(ScalarText.TryParseReal("1_000.5", out double d));
        Assert.Equal(1000.5, d);
        Assert.False(ScalarText.TryParseReal("Infinity", out _));
        Assert.False(ScalarText.TryParseReal("1e400", out _));
    }

    [Fact]
    public void Every_integer_config_key_takes_every_notation()
    {
        foreach (string million in new[] { "1e6", "1_000_000", "1000000" })
        {
            var config = ConfigLoader.LoadYaml($"total_timesteps: {million}\nseed: {million}\nddpg:\n  buffer_size: {million}\n", "t.yaml",
                [$"ddpg.learning_starts={million}", $"ddpg.hidden_sizes=[{million[..1]}_6, 1e1]"]);
            Assert.Equal((1_000_000L, 1_000_000UL, 1_000_000, 1_000_000L), (config.TotalTimesteps, config.Seed, config.Ddpg.BufferSize,
                config.Ddpg.LearningStarts));
            Assert.Equal([16, 10], config.Ddpg.HiddenSizes);
        }
    }

    [Fact]
    public void An_int_key_refuses_a_fraction_naming_the_key()
    {
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadYaml("ddpg:\n  batch_size: 1.5\n", "t.yaml"));
        Assert.Equal("ddpg.batch_size", e.Key);
    }

    [Fact]
    public void Environment_options_follow_the_same_rule_written_plain_or_quoted()
    {
        Assert.Equal(12, EnvRegistry.Make("BitFlip-v0", new Dictionary<string, object?> { ["n_bits"] = "1_2" }).ObservationSpace.Observation.Size);
        Assert.Equal(10, EnvRegistry.Make("BitFlip-v0", new Dictionary<string, object?> { ["n_bits"] = "1e1" }).ObservationSpace.Observation.Size);
        var config = ConfigLoader.LoadYaml("env:\n  id: BitFlip-v0\n  n_bits: 1_6\n", "t.yaml");
        Assert.Equal(16, EnvRegistry.Make(config.Env.Id, config.Env.Options).ObservationSpace.Observation.Size);
    }

    [Fact]
    public void Sweep_files_follow_the_same_rule()
    {
        var d = SweepLoader.LoadFile(_files.Write("sweep.yaml", """
            preset: point_goal
            random:
              samples: 1e1
              seed: 1_000
              ddpg.batch_size: {int: [1_6, 6.4e1]}
            seeds: [1e0, 2]
            local:
              throttle: 2.0
            """));
        Assert.Equal((10, 1000UL), (d.Random!.Samples, d.Random.Seed));
        Assert.Equal((16.0, 64.0), (d.Random.Parameters[0].Low, d.Random.Parameters[0].High));
        Assert.Equal([1UL, 2UL], d.Seeds);
        Assert.Equal(2, d.Local.Throttle);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("1_000")]
    [InlineData("True")]
    [InlineData("12")]
    [InlineData("a: b")]
    public void Text_that_would_read_as_something_else_is_written_quoted_and_reads_back_as_itself(string text)
    {
        string yaml = ScalarText.Format(text);
        Assert.StartsWith("'", yaml);
        var config = ConfigLoader.LoadYaml($"run_id: {yaml}\n", "t.yaml");
        Assert.Equal(text, config.RunId);
    }

    [Fact]
    public void Values_are_written_invariant_and_round_trip_exact()
    {
        Assert.Equal("0.1", ScalarText.Format(0.1));
        Assert.Equal("[64, 64]", ScalarText.Format(new[] { 64, 64 }));
        Assert.Equal("true", ScalarText.Format(true));
        Assert.Equal("null", ScalarText.Format(null));
        Assert.Equal("plain", ScalarText.Format("plain"));
    }
}
