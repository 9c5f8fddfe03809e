using System.Text.Json;
using HerTools.Policy;

namespace HerTools.Cli.Tests;

public class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string TrainTinyRun()
    {
        string runDirectory = _dir.Combine("run");
        var run = Cli.Run("train", "--preset", "point_goal", "--set", "total_timesteps=120", "--set", "eval.n_eval_episodes=2",
            "--set", "ddpg.learning_starts=50", "--output", runDirectory);
        Assert.True(run.ExitCode == 0, run.ToString());
        return runDirectory;
    }

    [Fact]
    public void Export_writes_a_policy_file_the_library_loads_and_an_onnx_model_by_extension()
    {
        string runDirectory = TrainTinyRun();
        string htp = _dir.Combine("out", "policy.htp");
        var run = Cli.Run("export", runDirectory, "--output", htp, "--json");
        Assert.True(run.ExitCode == 0, run.ToString());
        using (var json = JsonDocument.Parse(run.Out))
        {
            Assert.Equal(htp, json.RootElement.GetProperty("output_path").GetString());
            Assert.Equal("PointGoal-v0", json.RootElement.GetProperty("environment_id").GetString());
        }
        var policy = GoalPolicy.Load(htp);
        Assert.Equal((2, 1, 1), (policy.ObservationSize, policy.GoalSize, policy.ActionSize));
        Assert.Equal([64, 64], policy.Model.HiddenSizes);

        string onnx = _dir.Combine("policy.onnx");
        var asOnnx = Cli.Run("export", runDirectory, "--output", onnx);
        Assert.True(asOnnx.ExitCode == 0, asOnnx.ToString());
        Assert.Matches(@"format\s+onnx", asOnnx.Out);
        Assert.Equal(0x08, File.ReadAllBytes(onnx)[0]); // ModelProto field 1 (ir_version), a varint: not a policy file
    }

    [Fact]
    public void Export_refuses_an_existing_file_without_force_and_a_missing_checkpoint_as_usage()
    {
        string runDirectory = TrainTinyRun();
        string output = _dir.Combine("taken.htp");
        File.WriteAllText(output, "keep");

        var refused = Cli.Run("export", runDirectory, "--output", output);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("already exists", refused.Error);
        Assert.Equal("keep", File.ReadAllText(output));

        Assert.Equal(0, Cli.Run("export", runDirectory, "--output", output, "--force").ExitCode);
        Assert.NotEqual("keep", File.ReadAllText(output));

        Assert.Equal(2, Cli.Run("export", _dir.Combine("nowhere"), "--output", _dir.Combine("x.htp")).ExitCode);
        Assert.Equal(2, Cli.Run("export", runDirectory, "--format", "tflite").ExitCode);
    }
}
