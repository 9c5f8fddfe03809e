using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>PointGoal-v0 whose observations turn NaN after a number of steps: a broken user environment.</summary>
[GoalEnvironment("NanAfter-v0", Description = "PointGoal-v0 that starts returning NaN observations (a test of the NaN guard)", MaxEpisodeSteps = 50)]
internal sealed class NanAfterEnv(int nanAfter = 600) : PointGoalWrapper(new PointGoalEnv())
{
    private int _steps;

    public override string Id => "NanAfter-v0";

    public override StepResult Step(ReadOnlySpan<float> action)
    {
        var result = Inner.Step(action);
        if (++_steps <= nanAfter) return result;
        var obs = result.Observation;
        return result with { Observation = obs with { Observation = [float.NaN, float.NaN] } };
    }

    public override void WriteState(BinaryWriter writer) { Inner.WriteState(writer); writer.Write(_steps); }
    public override void ReadState(BinaryReader reader) { Inner.ReadState(reader); _steps = reader.ReadInt32(); }
}

public class DivergenceTests : IDisposable
{
    private readonly string _run = Path.Combine(Path.GetTempPath(), $"hertools-nan-{Guid.NewGuid():N}");

    static DivergenceTests() => EnvRegistry.Register(typeof(NanAfterEnv));

    public void Dispose()
    {
        if (Directory.Exists(_run)) Directory.Delete(_run, recursive: true);
    }

    [Theory]
    [InlineData("point_goal")]
    [InlineData("point_goal_td3")]
    [InlineData("point_goal_sac")]
    public void NaN_in_training_stops_the_run_naming_step_and_quantity_and_keeps_the_last_good_checkpoint(string preset)
    {
        var config = ConfigLoader.LoadPreset(preset,
        [
            "env.id=NanAfter-v0", "env.nan_after=600", "total_timesteps=2000", "threads=1",
            "checkpoint.checkpoint_freq=250", "log.log_interval=250", "eval.eval_freq=250", "eval.n_eval_episodes=5",
        ]);

        var e = Assert.Throws<TrainingDivergedException>(() => HerTrainer.TrainHer(config, _run));

        Assert.InRange(e.Step, 601, 700);
        Assert.Contains(e.Quantity, new[] { "critic_loss", "actor_loss", "mean_q", "entropy_coef", "actor_log_prob" });
        Assert.Contains($"step {e.Step}", e.Message);
        var latest = CheckpointStore.Latest(_run);
        Assert.NotNull(latest);
        Assert.Equal(500, latest.Step);
        Assert.Equal(500, CheckpointStore.Open(latest.Path).Info.Step); // loads: hashes and version check out
        Assert.All(CheckpointStore.List(_run), c => Assert.True(c.Step <= 600, $"checkpoint {c.Name} was written from the broken state"));
        Assert.Equal([250L, 500], CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(_run)).Select(r => r.Timesteps));
    }
}
