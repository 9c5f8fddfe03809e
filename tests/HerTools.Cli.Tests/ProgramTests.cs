namespace HerTools.Cli.Tests;

public class ProgramTests
{
    [Fact]
    public void Root_help_lists_every_command()
    {
        var run = Cli.Run("--help");
        Assert.Equal(0, run.ExitCode);
        foreach (string command in new[] { "train", "eval", "export", "checkpoints", "envs", "presets", "plot" })
            Assert.Matches($@"(?m)^\s+{command}\b", run.Out);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("train", new[] { "CONFIG", "--preset", "--set", "--output", "--seed", "--total-timesteps", "--resume", "--threads", "--verbose" })]
    [InlineData("eval", new[] { "CHECKPOINT", "--episodes", "--seed", "--json" })]
    [InlineData("export", new[] { "CHECKPOINT", "--output", "--format", "--force", "--json" })]
    [InlineData("checkpoints", new[] { "RUN_DIR", "--json" })]
    [InlineData("envs", new[] { "--json" })]
    [InlineData("presets", new[] { "NAME" })]
    [InlineData("plot", new[] { "RUN_DIR", "--output" })]
    public void Every_command_has_help_naming_its_arguments_and_options(string command, string[] names)
    {
        var run = Cli.Run(command, "--help");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("Usage:", run.Out);
        Assert.Contains($" {command}", run.Out);
        foreach (string name in names) Assert.Contains(name, run.Out);
        Assert.Equal("", run.Error);
    }

    [Theory]
    [InlineData("train", "--preset", "point_goal", "--bogus")]
    [InlineData("eval", "some/checkpoint", "--bogus")]
    [InlineData("presets", "--bogus")]
    [InlineData("envs", "--bogus")]
    [InlineData("frobnicate")]
    public void An_unknown_option_or_command_is_bad_usage(params string[] args)
    {
        var run = Cli.Run(args);
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains(args[^1], run.Error);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public void No_command_is_bad_usage_with_a_pointer_to_help()
    {
        var run = Cli.Run();
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("her-tools --help", run.Error);
    }

    [Fact]
    public void A_missing_required_argument_is_bad_usage()
    {
        var run = Cli.Run("plot", "--output", "x.png");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("RUN_DIR", run.Error);
    }

    [Fact]
    public void A_number_option_that_is_not_a_number_names_the_option_and_the_value()
    {
        var run = Cli.Run("train", "--preset", "point_goal", "--seed", "ten");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("--seed expects a whole number of 0 or more, got 'ten'", run.Error);
    }
}
