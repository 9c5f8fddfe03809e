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
}
