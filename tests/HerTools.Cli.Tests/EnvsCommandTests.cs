using System.Text.Json;

namespace HerTools.Cli.Tests;

public class EnvsCommandTests
{
    [Fact]
    public void Envs_lists_each_environment_with_its_options_as_config_keys()
    {
        var run = Cli.Run("envs");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("BitFlip-v0  (episodes of 10 steps by default)", run.Out);
        Assert.Contains("PointGoal-v0  (episodes of 50 steps by default)", run.Out);
        Assert.Matches(@"(?m)^  env\.n_bits\s+an integer between 1 and 64\s+10\s+", run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public void Envs_json_is_an_array_of_environments_with_snake_case_members_and_typed_option_defaults()
    {
        var run = Cli.Run("envs", "--json");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        var envs = json.RootElement.EnumerateArray().ToList();
        Assert.Equal(["BitFlip-v0", "PointGoal-v0", "Push2D-v0"], envs.Select(e => e.GetProperty("id").GetString()));
        foreach (var env in envs)
            Assert.Equal(["id", "description", "default_max_episode_steps", "options"], env.EnumerateObject().Select(p => p.Name));

        var bitFlip = envs[0];
        Assert.Equal(10, bitFlip.GetProperty("default_max_episode_steps").GetInt32());
        var nBits = Assert.Single(bitFlip.GetProperty("options").EnumerateArray());
        Assert.Equal(["name", "type", "default", "required", "minimum", "maximum", "description"], nBits.EnumerateObject().Select(p => p.Name));
        Assert.Equal("n_bits", nBits.GetProperty("name").GetString());
        Assert.Equal("int", nBits.GetProperty("type").GetString());
        Assert.Equal(10, nBits.GetProperty("default").GetInt32());
        Assert.False(nBits.GetProperty("required").GetBoolean());
        Assert.Equal((1.0, 64.0), (nBits.GetProperty("minimum").GetDouble(), nBits.GetProperty("maximum").GetDouble()));

        var terminate = envs[1].GetProperty("options").EnumerateArray().Single(o => o.GetProperty("name").GetString() == "terminate_on_success");
        Assert.Equal("bool", terminate.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.False, terminate.GetProperty("default").ValueKind);
        Assert.Equal(JsonValueKind.Null, terminate.GetProperty("minimum").ValueKind);
    }

    [Fact]
    public void Envs_check_passes_a_built_in_environment_with_its_options()
    {
        var run = Cli.Run("envs", "check", "BitFlip-v0", "--set", "env.n_bits=12", "--episodes", "2");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("BitFlip-v0: passed (2 episodes, 24 steps checked)\n", run.Out.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Envs_check_json_is_the_report()
    {
        var run = Cli.Run("envs", "check", "PointGoal-v0", "--episodes", "1", "--json");
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        using var json = JsonDocument.Parse(run.Out);
        // snake_case, as every --json output.
        Assert.Equal("PointGoal-v0", json.RootElement.GetProperty("env_id").GetString());
        Assert.Equal(50, json.RootElement.GetProperty("transitions").GetInt32());
        Assert.True(json.RootElement.GetProperty("passed").GetBoolean());
    }

    [Fact]
    public void Envs_check_names_a_bad_option_and_refuses_other_keys()
    {
        var outOfRange = Cli.Run("envs", "check", "BitFlip-v0", "--set", "env.n_bits=100");
        Assert.Equal(ExitCodes.BadUsage, outOfRange.ExitCode);
        Assert.Contains("BitFlip-v0: option 'n_bits' must be between 1 and 64, got 100", outOfRange.Error);
        var notAnOption = Cli.Run("envs", "check", "BitFlip-v0", "--set", "ddpg.batch_size=3");
        Assert.Equal(ExitCodes.BadUsage, notAnOption.ExitCode);
        Assert.Contains("--set takes the environment's options here (env.<option>=value), got 'ddpg.batch_size=3'", notAnOption.Error);
    }
}
