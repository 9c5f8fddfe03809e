using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Core.Training;
using HerTools.Policy;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace HerTools.Core.Tests.Policy;

/// <summary>
/// The exported policy against the learner it came from: the same actions (within 1e-5) from TorchSharp, from the
/// managed <see cref="GoalPolicy"/> and from ONNX Runtime running the exported model.
/// </summary>
public class PolicyExportTests : IDisposable
{
    private const float Tolerance = 1e-5f;
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-export-{Guid.NewGuid():N}");

    public PolicyExportTests() => Directory.CreateDirectory(_root);

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Dict observations as consecutive rows, drawn over a wider range than the environment's, so clipping is exercised.</summary>
    private sealed record Observations(int Count, float[] Observation, float[] Achieved, float[] Desired)
    {
        public static Observations Random(int count, int observationSize, int goalSize, ulong seed, double range)
        {
            var rng = new Rng(seed);
            float[] Draw(int width) => Enumerable.Range(0, count * width).Select(_ => (float)rng.Uniform(-range, range)).ToArray();
            return new Observations(count, Draw(observationSize), Draw(goalSize), Draw(goalSize));
        }
    }

    // What the checkpoint's learner does, through TorchSharp: the row as GoalConditionedAgent builds it, then the learner's Act (SAC's: tanh of its mean).
    private static float[] TorchActions(ILearner learner, bool relativeGoals, Observations x)
    {
        int o = learner.ObservationSize, g = learner.GoalSize, a = learner.ActionSize;
        var actions = new float[x.Count * a];
        var row = new float[o + g];
        for (int r = 0; r < x.Count; r++)
        {
            x.Observation.AsSpan(r * o, o).CopyTo(row);
            for (int i = 0; i < g; i++) row[o + i] = relativeGoals ? x.Desired[r * g + i] - x.Achieved[r * g + i] : x.Desired[r * g + i];
            learner.Act(row, actions.AsSpan(r * a, a));
        }
        return actions;
    }

    private static float[] OnnxActions(string modelPath, int observationSize, int goalSize, int actionSize, Observations x)
    {
        using var session = new InferenceSession(modelPath);
        var inputs = new List<NamedOnnxValue>
        {
            NamedOnnxValue.CreateFromTensor(PolicyOnnx.ObservationInput, new DenseTensor<float>(x.Observation, [x.Count, observationSize])),
            NamedOnnxValue.CreateFromTensor(PolicyOnnx.AchievedGoalInput, new DenseTensor<float>(x.Achieved, [x.Count, goalSize])),
            NamedOnnxValue.CreateFromTensor(PolicyOnnx.DesiredGoalInput, new DenseTensor<float>(x.Desired, [x.Count, goalSize])),
        };
        using var results = session.Run(inputs);
        var action = results.Single(r => r.Name == PolicyOnnx.ActionOutput).AsTensor<float>();
        Assert.Equal([x.Count, actionSize], action.Dimensions.ToArray());
        return action.ToArray();
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        float worst = 0;
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        Assert.True(worst <= Tolerance, $"{what}: largest difference {worst} over {expected.Length} action components");
    }

    [Theory]
    [InlineData("point_goal")]
    [InlineData("point_goal_td3")]
    [InlineData("point_goal_sac")]
    public void The_exported_policy_acts_as_the_checkpoint_on_1000_observations_in_CSharp_and_in_ONNX_Runtime(string preset)
    {
        // Normalisation and relative goals on, so the export must carry the statistics, their clip range and the layout.
        // SAC's actor outputs mean ++ log_std: the export must keep the mean half, whose tanh is SAC's deterministic action.
        var config = ConfigLoader.LoadPreset(preset, ["threads=1", "total_timesteps=500", "eval.n_eval_episodes=5", "ddpg.normalize=true"]);
        var run = HerTrainer.TrainHer(config, Path.Combine(_root, "run"));
        var htp = PolicyExporter.Export(run.LastCheckpointPath!, Path.Combine(_root, "policy.htp"), PolicyExportFormat.Htp);
        var onnx = PolicyExporter.Export(run.RunDirectory, Path.Combine(_root, "policy.onnx"), PolicyExportFormat.Onnx);
        Assert.Equal(run.LastCheckpointPath, onnx.CheckpointPath);

        using var loaded = RunCheckpoint.LoadPolicy(run.LastCheckpointPath!, threads: 1);
        var learner = loaded.Policy.Learner;
        Assert.Equal(AlgorithmRegistry.Get(config.Algo).Learner, learner.Name);
        var normalizer = learner switch { Ddpg d => d.ObservationNormalizer, Td3 t => t.ObservationNormalizer, Sac c => c.ObservationNormalizer, _ => null };
        Assert.True(normalizer!.Count > 0, "the normalisers saw no data");
        var x = Observations.Random(1000, learner.ObservationSize, learner.GoalSize, seed: 17, range: 3);
        float[] expected = TorchActions(learner, relativeGoals: true, x);

        var policy = GoalPolicy.Load(htp.OutputPath);
        Assert.Equal("PointGoal-v0", policy.Model.EnvironmentId);
        Assert.True(policy.Model.RelativeGoals);
        Assert.NotNull(policy.Model.Normalization);
        var managed = new float[expected.Length];
        policy.Act(x.Count, x.Observation, x.Achieved, x.Desired, managed);
        AssertClose(expected, managed, "GoalPolicy");
        AssertClose(expected, OnnxActions(onnx.OutputPath, learner.ObservationSize, learner.GoalSize, learner.ActionSize, x), "ONNX Runtime");
        Assert.True(expected.Distinct().Count() > 100, "the policy's actions hardly vary: the comparison would prove little");
    }

    [Theory]
    [InlineData("relu", false, false, "ddpg")]
    [InlineData("tanh", true, false, "ddpg")]
    [InlineData("elu", false, true, "ddpg")]
    [InlineData("leaky_relu", true, true, "ddpg")]
    [InlineData("gelu", true, true, "ddpg")]
    [InlineData("silu", false, true, "ddpg")]
    [InlineData("relu", true, true, "td3")]
    [InlineData("relu", true, true, "sac")]
    [InlineData("tanh", false, false, "sac")]
    public void Every_activation_and_input_layout_exports_within_1e_5(string activation, bool relativeGoals, bool normalize, string learner)
    {
        var bounds = new Box([-2f, 0f, -1f], [2f, 3f, 1f]);
        using var her = new GoalConditionedAgent(
            new LearnerOptions
            {
                HiddenSizes = [32, 24], Activation = activation, Seed = 11, Threads = 1,
                RelativeGoals = relativeGoals, Normalize = normalize
            },
            observationSize: 5, goalSize: 3, bounds, learner);
        var rng = new Rng(5);
        var batch = new ReplayBatch(64, 5, 3, 3) { Count = 64 };
        foreach (var array in new[] { batch.Inputs, batch.NextInputs, batch.Actions, batch.AchievedGoals, batch.NextAchievedGoals })
            for (int i = 0; i < array.Length; i++) array[i] = (float)rng.Uniform(-1, 4);
        for (int i = 0; i < 64; i++) { batch.Rewards[i] = -1f; batch.NotDone[i] = 1f; }
        for (int step = 0; step < 3; step++) her.Update(batch);

        var model = her.ExportPolicy("her", "Test-v0");
        string htp = Path.Combine(_root, activation + learner + ".htp"), onnx = Path.Combine(_root, activation + learner + ".onnx");
        PolicyFile.Write(model, htp);
        PolicyOnnx.Write(model, onnx);
        var x = Observations.Random(1000, 5, 3, seed: 23, range: 6);
        float[] expected = TorchActions(her.Learner, relativeGoals, x);

        var managed = new float[expected.Length];
        GoalPolicy.Load(htp).Act(x.Count, x.Observation, x.Achieved, x.Desired, managed);
        AssertClose(expected, managed, $"GoalPolicy ({learner}, {activation})");
        AssertClose(expected, OnnxActions(onnx, 5, 3, 3, x), $"ONNX Runtime ({learner}, {activation})");
        // Acting through GoalConditionedAgent (the managed copy the trainer acts with) gives the same actions as the export.
        var acted = new float[3];
        her.Act(new GoalObservation(x.Observation[..5], x.Achieved[..3], x.Desired[..3]), acted);
        AssertClose(managed[..3], acted, $"GoalConditionedAgent.Act ({learner}, {activation})");
    }

    [Fact]
    public void Export_does_not_overwrite_a_file_unless_asked()
    {
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "total_timesteps=50", "eval.n_eval_episodes=2"]);
        var run = HerTrainer.TrainHer(config, Path.Combine(_root, "small"));
        string output = Path.Combine(_root, "existing.htp");
        File.WriteAllText(output, "keep me");

        var refused = Assert.Throws<HerToolsException>(() => PolicyExporter.Export(run.RunDirectory, output, PolicyExportFormat.Htp));
        Assert.Contains("already exists", refused.Message);
        Assert.Equal("keep me", File.ReadAllText(output));

        var result = PolicyExporter.Export(run.RunDirectory, output, PolicyExportFormat.Htp, overwrite: true);
        Assert.Equal(new FileInfo(output).Length, result.Bytes);
        Assert.Equal(1, GoalPolicy.Load(output).ActionSize);
        Assert.Empty(Directory.GetFiles(_root, "*.tmp-*"));
    }
}
