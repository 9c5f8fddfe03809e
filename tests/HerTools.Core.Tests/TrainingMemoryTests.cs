using HerTools.Core.Config;
using HerTools.Core.Training;
using TorchSharp;

namespace HerTools.Core.Tests;

/// <summary>
/// The hot path leaves nothing behind: every tensor an action, an update, a target update, an evaluation or a
/// checkpoint makes is disposed before the next step, so native memory cannot grow with training.
/// (The <c>memory</c> benchmark shows the same over a long run in resident memory.)
/// </summary>
public class TrainingMemoryTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-memory-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    /// <summary>Tensors alive on this thread: TorchSharp counts creations and disposals per thread, so tests running beside this one do not disturb
    /// it.</summary>
    private static long LiveTensors() => DisposeScopeManager.Statistics.ThreadTotalLiveCount;

    [Theory]
    [InlineData("step", false)]
    [InlineData("cycle", true)]
    public void Live_tensors_stay_flat_from_step_to_step(string schedule, bool normalize)
    {
        var config = ConfigLoader.LoadPreset("point_goal",
        [
            "threads=1", "total_timesteps=2000", "ddpg.learning_starts=100", $"ddpg.schedule={schedule}", $"ddpg.normalize={normalize}",
            "ddpg.n_batches=10", "log.log_interval=100", "eval.eval_freq=250", "eval.n_eval_episodes=5", "checkpoint.checkpoint_freq=250",
        ]);
        // Progress is reported on the training thread every 1% (20 steps) when the callback runs synchronously.
        var counts = new List<(long Step, long Live)>();
        var progress = new SynchronousProgress(p => counts.Add((p.Timesteps, LiveTensors())));

        var result = HerTrainer.TrainHer(config, Path.Combine(_root, schedule), progress);

        Assert.Equal(TrainingStatus.Completed, result.Status);
        // From step 600 on, after learning, evaluations and checkpoints have each run at least once.
        var later = counts.Where(c => c.Step >= 600 && c.Step < config.TotalTimesteps).ToList();
        Assert.True(later.Count >= 50, $"only {later.Count} progress reports after step 600");
        long first = later[0].Live;
        Assert.All(later, c => Assert.True(c.Live == first, $"{c.Live - first} more tensors alive at step {c.Step} than at step {later[0].Step}"));
    }
}
