using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public class EnvPluginTrainingTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-plugin-run-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    // 25-step episodes: step 600 is mid-episode (600 = 24 * 25), 610 is 10 steps into one.
    private RunConfig Config(string envId, long totalTimesteps, string? plugin = null) => ConfigLoader.LoadYaml(
        $"env:\n  assembly: {plugin ?? TestPlugin.Path}\n  id: {envId}\n", Path.Combine(_root, "inline.yaml"),
        [
            "threads=1", "seed=5", $"total_timesteps={totalTimesteps}", "ddpg.learning_starts=200", "ddpg.batch_size=64",
            "ddpg.hidden_sizes=[32, 32]", "ddpg.buffer_size=5000", "log.log_interval=200", "eval.eval_freq=400", "eval.n_eval_episodes=5",
            "checkpoint.keep_last=10",
        ]);

    private static byte[] FileOf(string checkpoint, string name) => File.ReadAllBytes(Path.Combine(checkpoint, name));

    private static List<ProgressRow> Rows(string runDirectory) =>
        CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDirectory)).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();

    [Fact]
    public void A_plug_in_run_records_the_plug_in_and_resumes_bit_for_bit()
    {
        string straight = Path.Combine(_root, "straight"), resumed = Path.Combine(_root, "resumed");
        var full = HerTrainer.TrainHer(Config("Reach2D-v0", 1200), straight);
        var half = HerTrainer.TrainHer(Config("Reach2D-v0", 610), resumed);
        var rest = HerTrainer.TrainHer(Config("Reach2D-v0", 1200), resumed, resumeFrom: half.LastCheckpointPath);

        Assert.Equal(1200, rest.Timesteps);
        Assert.Equal(FileOf(full.LastCheckpointPath!, "agent.bin"), FileOf(rest.LastCheckpointPath!, "agent.bin"));
        Assert.Equal(FileOf(full.LastCheckpointPath!, "replay.bin"), FileOf(rest.LastCheckpointPath!, "replay.bin"));
        Assert.Equal(Rows(straight), Rows(resumed));

        string record = $"{EnvPluginLoader.Sha256Of(TestPlugin.Path)}  {TestPlugin.Path}\n";
        Assert.Equal(record, File.ReadAllText(Path.Combine(rest.LastCheckpointPath!, "env_assemblies.sha256")));
        Assert.Contains("# env.assembly sha256: " + record, File.ReadAllText(RunFiles.ConfigPath(resumed)));
    }

    [Fact]
    public void A_resume_or_an_evaluation_refuses_a_changed_plug_in_unless_accepted()
    {
        string plugin = TestPlugin.CopyTo(Path.Combine(_root, "plugin"));
        string run = Path.Combine(_root, "run");
        var first = HerTrainer.TrainHer(Config("Reach2D-v0", 300, plugin), run);

        // Bytes appended after the image: the assembly still loads, but it is another file.
        File.AppendAllText(plugin, "changed");
        var refused = Assert.Throws<EnvPluginChangedException>(() =>
            HerTrainer.TrainHer(Config("Reach2D-v0", 400, plugin), run, resumeFrom: first.LastCheckpointPath));
        Assert.Equal(plugin, refused.AssemblyPath);
        Assert.StartsWith($"environment plug-in {plugin} changed since checkpoint {first.LastCheckpointPath} was written", refused.Message);
        Assert.Throws<EnvPluginChangedException>(() => Evaluator.EvaluateCheckpoint(first.LastCheckpointPath!, episodes: 2));

        Assert.Equal(2, Evaluator.EvaluateCheckpoint(first.LastCheckpointPath!, episodes: 2, acceptChangedEnvPlugin: true).EpisodeCount);
        var accepted = HerTrainer.TrainHer(Config("Reach2D-v0", 400, plugin), run, resumeFrom: first.LastCheckpointPath, acceptChangedEnvPlugin: true);
        Assert.Equal(400, accepted.Timesteps);
        // From now on the run's checkpoints vouch for the new file.
        Assert.StartsWith(EnvPluginLoader.Sha256Of(plugin), File.ReadAllText(Path.Combine(accepted.LastCheckpointPath!, "env_assemblies.sha256")));

        File.Delete(plugin);
        // A missing plug-in is named with the checkpoint that needs it, before its config is read (that would load it),
        // by an evaluation and by a resume alike; accepting a changed file does not make a missing one acceptable.
        var missing = Assert.Throws<EnvPluginChangedException>(() => Evaluator.EvaluateCheckpoint(accepted.LastCheckpointPath!, episodes: 2));
        Assert.Equal(plugin, missing.AssemblyPath);
        Assert.Equal($"environment plug-in {plugin}, which checkpoint {accepted.LastCheckpointPath} was trained with, is missing", missing.Message);
        var missingOnResume = Assert.Throws<EnvPluginChangedException>(() =>
            HerTrainer.TrainHer(null, run, resumeFrom: accepted.LastCheckpointPath, acceptChangedEnvPlugin: true));
        Assert.Equal(missing.Message, missingOnResume.Message);
    }

    [Fact]
    public void An_environment_without_state_methods_trains_checkpoints_and_resumes_with_a_fresh_episode_saying_so_once()
    {
        string run = Path.Combine(_root, "nostate");
        var half = HerTrainer.TrainHer(Config("Reach2DNoState-v0", 610), run);
        Assert.Equal(610, half.Timesteps);

        var messages = new List<TrainingProgress>();
        var rest = HerTrainer.TrainHer(Config("Reach2DNoState-v0", 800), run, new SynchronousProgress<TrainingProgress>(messages.Add),
            resumeFrom: half.LastCheckpointPath);
        Assert.Equal(800, rest.Timesteps);
        var said = messages.Where(m => m.Message?.Contains("does not save its state", StringComparison.Ordinal) == true).ToList();
        var warning = Assert.Single(said);
        Assert.True(warning.IsWarning);
        Assert.Contains("a fresh episode starts where the checkpoint was taken", warning.Message);

        // 24 episodes ended by step 600; the one cut short at 610 is not counted, and the fresh one runs its full 25
        // steps: episodes end at 635, 660, ..., 785, seven of them (continuing would have ended eight, at 625, ..., 800).
        Assert.Equal(24, half.Episodes);
        Assert.Equal(31, rest.Episodes);

        // The fresh episode's seed is fixed by the run: a second resume from the same checkpoint does the same.
        var again = HerTrainer.TrainHer(Config("Reach2DNoState-v0", 800), Path.Combine(_root, "branch"), resumeFrom: half.LastCheckpointPath);
        Assert.Equal(FileOf(rest.LastCheckpointPath!, "agent.bin"), FileOf(again.LastCheckpointPath!, "agent.bin"));
    }

    [Fact]
    public void A_sweep_of_a_config_naming_a_plug_in_relative_to_it_trains_every_run()
    {
        TestPlugin.CopyTo(Path.Combine(_root, "project", "plugins"));
        string config = Path.Combine(_root, "project", "reach.yaml");
        File.WriteAllText(config, "# my plug-in\nenv:\n  id: Reach2D-v0\n  assembly: plugins/MyEnvs.dll\ntotal_timesteps: 300\n" +
            "ddpg:\n  learning_starts: 100\n  batch_size: 32\n  hidden_sizes: [16, 16]\neval:\n  eval_freq: 150\n  n_eval_episodes: 5\n" +
            "log:\n  log_interval: 100\n");
        string sweepFile = Path.Combine(_root, "project", "sweep.yaml");
        File.WriteAllText(sweepFile, "config: reach.yaml\ngrid:\n  env.distance_threshold: [0.1, 0.2]\nseeds: [1]\n");

        // The sweep keeps its own copy of the config, elsewhere: the plug-in's path in it is made absolute.
        var folder = SweepFolder.Create(SweepLoader.LoadFile(sweepFile), Path.Combine(_root, "sweep"));
        Assert.Contains(Path.Combine(_root, "project", "plugins", "MyEnvs.dll"), File.ReadAllText(Path.Combine(_root, "sweep", "base.yaml")));
        var statuses = LocalSweepRunner.Run(folder);

        Assert.Equal(2, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.All(statuses, s => Assert.Equal(300, s.Timesteps));
        Assert.All(folder.Runs, r => Assert.True(File.Exists(Path.Combine(CheckpointStore.Latest(folder.RunDirectory(r))!.Path, "env_assemblies.sha256"))));
    }

    [Fact]
    public void Training_refuses_a_plug_in_environment_whose_ComputeReward_disagrees_with_its_step_rewards()
    {
        string run = Path.Combine(_root, "bad");
        var refused = Assert.Throws<EnvCheckFailedException>(() => HerTrainer.TrainHer(Config("Reach2DBadReward-v0", 300), run));
        Assert.StartsWith($"Reach2DBadReward-v0 (plug-in {TestPlugin.Path}) cannot be trained: reward: step ", refused.Message);
        Assert.Contains("but ComputeReward gives 0", refused.Message);
        Assert.All(refused.Report.Violations, v => Assert.Equal(EnvChecker.RewardCheck, v.Check));
        Assert.False(File.Exists(RunFiles.ProgressPath(run)));

        // The environments that keep the contract train (the quick check found nothing to say).
        var messages = new List<TrainingProgress>();
        HerTrainer.TrainHer(Config("Reach2D-v0", 300), Path.Combine(_root, "good"), new SynchronousProgress<TrainingProgress>(messages.Add));
        Assert.DoesNotContain(messages, m => m.IsWarning);
    }
}
