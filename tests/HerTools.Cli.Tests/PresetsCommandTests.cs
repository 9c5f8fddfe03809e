using HerTools.Core.Config;

namespace HerTools.Cli.Tests;

public class PresetsCommandTests
{
    [Fact]
    public void Presets_lists_point_goal_and_bitflip_with_their_descriptions()
    {
        var run = Cli.Run("presets");
        Assert.Equal(0, run.ExitCode);
        string[] lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0]);
        Assert.Contains(lines, l => l.StartsWith("point_goal ") && l.Contains("PointGoal-v0 with DDPG+HER"));
        Assert.Contains(lines, l => l.StartsWith("bitflip ") && l.Contains("BitFlip-v0 at 10 bits"));
    }

    [Fact]
    public void Presets_with_a_name_prints_that_presets_yaml_which_loads_back()
    {
        var run = Cli.Run("presets", "point_goal");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(Presets.Find("point_goal")!.Yaml.TrimEnd('\n') + "\n", run.Out);
        var config = ConfigLoader.LoadYaml(run.Out, "stdout");
        Assert.Equal("PointGoal-v0", config.Env.Id);
        Assert.Equal(3000, config.TotalTimesteps);
    }

    [Fact]
    public void An_unknown_preset_is_bad_usage_naming_the_shipped_ones()
    {
        var run = Cli.Run("presets", "pointgoal");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Equal("her-tools: unknown preset 'pointgoal'; shipped presets: bitflip, point_goal, point_goal_sac, point_goal_td3, push2d\n",
            run.Error.ReplaceLineEndings("\n"));
        Assert.Equal("", run.Out);
    }
}
