using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Plotting;
using ScottPlot.Plottables;

namespace HerTools.Cli.Tests;

public sealed class CurveBandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A run folder with its config (the preset with an actor learning rate) and the given evaluations and losses.</summary>
    private string WriteRun(string name, double actorLr, (long Step, double Success)[] evaluations, (long Step, double? CriticLoss)[]? progress = null)
    {
        string run = _dir.Combine(name);
        Directory.CreateDirectory(run);
        File.WriteAllText(RunFiles.ConfigPath(run), ConfigLoader.LoadPreset("point_goal", [$"ddpg.actor_lr={actorLr}"]).ToYaml());
        using (var log = new CsvLog<EvalRow>(RunFiles.EvalPath(run)))
            foreach (var (step, success) in evaluations) log.Append(new EvalRow { Timesteps = step, SuccessRate = success, MeanReturn = -10 });
        using (var log = new CsvLog<ProgressRow>(RunFiles.ProgressPath(run)))
            foreach (var (step, loss) in progress ?? []) log.Append(new ProgressRow { Timesteps = step, CriticLoss = loss });
        return run;
    }

    [Fact]
    public void Runs_grouped_by_a_key_give_one_band_each_the_mean_between_the_lowest_and_highest_run()
    {
        string[] runs =
        [
            WriteRun("a-seed0", 0.001, [(250, 0.2), (500, 0.6)]),
            WriteRun("b-seed0", 0.01, [(250, 0.0), (500, 0.1)]),
            WriteRun("a-seed1", 0.001, [(250, 0.4), (500, 1.0), (750, 1.0)]), // a step the other seed has not reached is left out
            WriteRun("b-seed1", 0.01, [(250, 0.1), (500, 0.3)]),
        ];

        var bands = CurveBand.Group(runs, ["ddpg.actor_lr"], "success_rate");

        Assert.Equal(["actor_lr=0.001 (2 runs)", "actor_lr=0.01 (2 runs)"], bands.Select(b => b.Label));
        Assert.Equal([250L, 500], bands[0].Steps);
        Assert.Equal([0.3, 0.8], bands[0].Mean.Select(m => Math.Round(m, 12)));
        Assert.Equal([0.2, 0.6], bands[0].Low);
        Assert.Equal([0.4, 1.0], bands[0].High);
        Assert.Equal([0.05, 0.2], bands[1].Mean.Select(m => Math.Round(m, 12)));

        var plot = LearningCurvePlot.Create(bands, "success_rate");
        Assert.Equal(2, plot.GetPlottables().OfType<FillY>().Count());
        Assert.Equal(["actor_lr=0.001 (2 runs)", "actor_lr=0.01 (2 runs)"], plot.GetPlottables().OfType<Scatter>().Select(s => s.LegendText));
    }

    [Fact]
    public void Any_numeric_progress_column_can_be_plotted_and_an_unknown_one_is_refused_with_the_choices()
    {
        string run = WriteRun("r", 0.001, [(250, 0.5)], [(100, null), (200, 1.5), (300, 0.5)]);

        var curve = MetricCurve.FromRunDirectory(run, "critic_loss");
        Assert.Equal([200L, 300], curve.Steps); // no loss before learning starts: the empty cell is left out
        Assert.Equal([1.5, 0.5], curve.Values);
        Assert.Contains("relabeled_share", MetricCurve.Metrics);

        var e = Assert.Throws<ArgumentException>(() => MetricCurve.FromRunDirectory(run, "critic_los"));
        Assert.Contains("no metric 'critic_los'", e.Message);
        Assert.Contains("critic_loss", e.Message);
    }

    [Fact]
    public void Plot_group_by_writes_a_png_and_an_unknown_key_is_a_usage_error()
    {
        string a = WriteRun("a", 0.001, [(250, 0.2), (500, 0.6)]), b = WriteRun("b", 0.001, [(250, 0.4), (500, 0.8)]);
        string png = _dir.Combine("bands.png");

        var run = Cli.Run("plot", a, b, "--group-by", "ddpg.actor_lr", "--metric", "success_rate", "-o", png);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("(1 line of success_rate, 2 runs)", run.Out);
        Assert.True(new FileInfo(png).Length > 0);

        var bad = Cli.Run("plot", a, b, "--group-by", "ddpg.actor_rate", "-o", png);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'ddpg.actor_rate': not a config key", bad.Error);
    }
}
