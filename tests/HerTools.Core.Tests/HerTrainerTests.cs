using HerTools.Core.Runs;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public class HerTrainerTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-trainer-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private string RunDir(string name) => Path.Combine(_root, name);

    /// <summary>A small PointGoal run that still learns: the preset with a short budget and a short eval.</summary>
    private static RunConfig SmallPointGoal(params string[] overrides) =>
        ConfigLoader.LoadPreset("point_goal", ["threads=1", "eval.n_eval_episodes=20", .. overrides]);

    [Fact]
    public void Her_learns_PointGoal_to_at_least_0_9_evaluation_success()
    {
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "seed=1"]);
        var result = HerTrainer.TrainHer(config, RunDir("learn"));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.True(result.FinalEvalSuccessRate >= 0.9, $"final evaluation success {result.FinalEvalSuccessRate}");
        var evals = CsvLog<EvalRow>.ReadAll(result.EvalCsvPath);
        Assert.Equal(config.TotalTimesteps, evals[^1].Timesteps);
    }

    [Fact]
    public void Two_runs_with_one_seed_write_identical_progress_rows_but_for_wall_clock()
    {
        var a = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=600", "log.log_interval=100", "eval.eval_freq=300"), RunDir("a"));
        var b = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=600", "log.log_interval=100", "eval.eval_freq=300"), RunDir("b"));
        var rowsA = CsvLog<ProgressRow>.ReadAll(a.ProgressCsvPath).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();
        var rowsB = CsvLog<ProgressRow>.ReadAll(b.ProgressCsvPath).Select(r => r.WithoutWallClock() with { RunId = "" }).ToList();
        Assert.Equal(6, rowsA.Count);
        Assert.Equal(rowsA, rowsB);
        Assert.NotNull(rowsA[^1].CriticLoss);
        Assert.Equal(CsvLog<EvalRow>.ReadAll(a.EvalCsvPath), CsvLog<EvalRow>.ReadAll(b.EvalCsvPath));
    }

    [Fact]
    public void Progress_rows_carry_the_her_diagnostics()
    {
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=500", "log.log_interval=250", "her.her_ratio=0.8"), RunDir("diag"));
        var last = CsvLog<ProgressRow>.ReadAll(result.ProgressCsvPath)[^1];
        Assert.InRange(last.RelabeledShare!.Value, 0.75, 0.85);
        Assert.InRange(last.Reward0Share!.Value, 0.01, 1.0);
        Assert.Equal(ProgressRow.CurrentSchemaVersion, last.SchemaVersion);
        Assert.Equal(result.Config.ComputeHash(), last.ConfigHash);
    }

    [Fact]
    public void With_the_cycle_schedule_and_no_eval_freq_each_epoch_ends_with_an_evaluation()
    {
        // PointGoal episodes last 50 steps: a cycle of 2 episodes is 100 steps, an epoch of 2 cycles 200.
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=600", "ddpg.learning_starts=50", "ddpg.schedule=cycle",
            "ddpg.episodes_per_cycle=2", "ddpg.n_cycles=2", "ddpg.n_batches=5", "eval.eval_freq=0", "log.log_interval=100"), RunDir("epochs"));
        Assert.Equal([200L, 400L, 600L], CsvLog<EvalRow>.ReadAll(result.EvalCsvPath).Select(r => r.Timesteps));
    }

    [Fact]
    public void Without_eval_freq_the_step_schedule_evaluates_only_at_the_end()
    {
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=600", "eval.eval_freq=0", "log.log_interval=100"), RunDir("end"));
        Assert.Equal([600L], CsvLog<EvalRow>.ReadAll(result.EvalCsvPath).Select(r => r.Timesteps));
    }

    private static readonly EnvSpec WithoutTermination = new("PointGoalWithoutTermination-test",
        "PointGoal-v0 that terminates on success, without IComputesTerminated", [], PointGoalEnv.DefaultMaxEpisodeSteps, _ =>
            new PointGoalWithoutTermination());

    [Fact]
    public void An_environment_that_terminates_without_ComputeTerminated_is_warned_about_once()
    {
        EnvRegistry.Register(WithoutTermination);
        var messages = new List<string>();
        var progress = new SynchronousProgress(p => { if (p.Message is not null && p.IsWarning) messages.Add(p.Message); });
        var result = HerTrainer.TrainHer(SmallPointGoal($"env.id={WithoutTermination.Id}", "total_timesteps=1000"), RunDir("no-terminated"), progress);
        Assert.True(result.Episodes > 20, $"{result.Episodes} episodes: no episode ended on success"); // 1,000 steps of 50-step episodes are 20
        string warning = Assert.Single(messages);
        Assert.Contains($"{WithoutTermination.Id} ended an episode with terminated = true but does not implement IComputesTerminated", warning);
    }

    [Fact]
    public void Plain_ddpg_samples_no_relabeled_goals()
    {
        var result = HerTrainer.TrainHer(SmallPointGoal("algo=ddpg", "total_timesteps=500", "log.log_interval=250"), RunDir("ddpg"));
        Assert.Equal(0.0, CsvLog<ProgressRow>.ReadAll(result.ProgressCsvPath)[^1].RelabeledShare);
    }

    [Fact]
    public void A_run_folder_that_holds_a_run_is_not_overwritten()
    {
        var config = SmallPointGoal("total_timesteps=100", "log.log_interval=50");
        HerTrainer.TrainHer(config, RunDir("once"));
        string before = File.ReadAllText(RunFiles.ProgressPath(RunDir("once")));
        var e = Assert.Throws<RunFolderInUseException>(() => HerTrainer.TrainHer(config, RunDir("once")));
        Assert.Contains("already holds a run", e.Message);
        Assert.Equal(before, File.ReadAllText(RunFiles.ProgressPath(RunDir("once"))));
    }

    [Fact]
    public void Cancelling_stops_with_a_checkpoint_at_the_current_step()
    {
        using var cts = new CancellationTokenSource();
        var progress = new SynchronousProgress(p => { if (p.Timesteps >= 300) cts.Cancel(); });
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=2000"), RunDir("stop"), progress, cts.Token);
        Assert.Equal(TrainingStatus.Stopped, result.Status);
        Assert.InRange(result.Timesteps, 300, 400);
        var latest = CheckpointStore.Latest(RunDir("stop"));
        Assert.NotNull(latest);
        Assert.Equal(result.Timesteps, latest.Step);
    }

    [Fact]
    public void Evaluation_of_a_checkpoint_follows_the_protocol_and_is_deterministic()
    {
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=300"), RunDir("eval"));
        var first = Evaluator.EvaluateCheckpoint(result.LastCheckpointPath!, episodes: 10, seed: 5);
        var again = Evaluator.EvaluateCheckpoint(result.LastCheckpointPath!, episodes: 10, seed: 5);
        Assert.Equal(10, first.Episodes.Count);
        Assert.Equal(first.Episodes, again.Episodes);
        Assert.Equal([5UL, 6UL, 7UL], first.Episodes.Take(3).Select(e => e.Seed));
        Assert.Equal(first.Episodes.Count(e => e.Success) / 10.0, first.SuccessRate);
    }

    [Fact]
    public void Without_a_seed_a_checkpoint_is_evaluated_on_its_runs_evaluation_episodes()
    {
        // A run with an unusual eval_seed: its final evaluation and a later one of its final checkpoint must agree.
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=400", "eval.eval_seed=777", "eval.n_eval_episodes=20"), RunDir("own-seed"));
        var logged = CsvLog<EvalRow>.ReadAll(result.EvalCsvPath)[^1];

        var again = Evaluator.EvaluateCheckpoint(result.LastCheckpointPath!, episodes: 20);

        Assert.Equal(777UL, again.FirstSeed);
        Assert.Equal(logged.SuccessRate, again.SuccessRate);
        Assert.Equal(logged.MeanReturn, again.MeanReturn, 9);
        Assert.Equal(logged.MeanFinalDistance, again.MeanFinalDistance, 9);
    }

    [Fact]
    public void Gradient_steps_minus_one_trains_as_many_steps_as_were_collected_since_learning_started()
    {
        var result = HerTrainer.TrainHer(SmallPointGoal("total_timesteps=300", "ddpg.learning_starts=200", "ddpg.train_freq=10",
            "ddpg.gradient_steps=-1", "log.log_interval=300"), RunDir("minus-one"));
        // Rounds at steps 200, 210, ..., 300, ten updates each: no burst for the steps before learning started.
        Assert.Equal(110, CsvLog<ProgressRow>.ReadAll(result.ProgressCsvPath)[^1].GradientSteps);
    }

    [Fact]
    public void Threads_auto_times_each_count_and_reports_its_choice()
    {
        var messages = new List<string>();
        var progress = new SynchronousProgress(p => { if (p.Message is not null) messages.Add(p.Message); });
        var result = HerTrainer.TrainHer(SmallPointGoal("threads=0", "total_timesteps=300"), RunDir("auto"), progress);
        Assert.Equal(TrainingStatus.Completed, result.Status);
        string choice = Assert.Single(messages, m => m.StartsWith("threads: auto chose", StringComparison.Ordinal));
        // "threads: auto chose C (1: R updates/s, 2: R updates/s, ...)": every candidate count timed, the choice one of them.
        var match = System.Text.RegularExpressions.Regex.Match(choice, @"^threads: auto chose (\d+) \((.*)\)$");
        Assert.True(match.Success, choice);
        var timed = match.Groups[2].Value.Split(", ").Select(part => System.Text.RegularExpressions.Regex.Match(part, @"^(\d+): (\d+) updates/s$")).ToList();
        Assert.All(timed, m => Assert.True(m.Success && int.Parse(m.Groups[2].Value) > 0, choice));
        int[] counts = timed.Select(m => int.Parse(m.Groups[1].Value)).ToArray();
        Assert.Equal(ThreadCountProbe.Candidates, counts);
        Assert.Contains(int.Parse(match.Groups[1].Value), counts);
    }
}
