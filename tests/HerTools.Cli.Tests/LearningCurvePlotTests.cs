using HerTools.Core.Metrics;
using HerTools.Plotting;
using ScottPlot.Plottables;
using SkiaSharp;

namespace HerTools.Cli.Tests;

public class LearningCurvePlotTests
{
    private static EvalRow Eval(long timesteps, double successRate) => new() { Timesteps = timesteps, Episodes = 10, SuccessRate = successRate };

    private static readonly LearningCurve Slow = new("slow", [Eval(0, 0.0), Eval(1000, 0.1), Eval(2000, 0.3), Eval(3000, 0.5)]);
    private static readonly LearningCurve Fast = new("fast", [Eval(0, 0.0), Eval(1000, 0.6), Eval(2000, 0.9), Eval(3000, 1.0)]);

    [Fact]
    public void The_plot_has_one_labelled_line_per_run_through_its_evaluations()
    {
        var plot = LearningCurvePlot.Create([Slow, Fast]);
        var lines = plot.GetPlottables().OfType<Scatter>().ToList();
        Assert.Equal(["slow", "fast"], lines.Select(l => l.LegendText));
        var points = lines[1].Data.GetScatterPoints();
        Assert.Equal([0.0, 1000, 2000, 3000], points.Select(p => p.X));
        Assert.Equal([0.0, 0.6, 0.9, 1.0], points.Select(p => p.Y));
        Assert.NotEqual(lines[0].LineColor, lines[1].LineColor);
    }

    [Fact]
    public void SavePng_writes_a_png_of_the_asked_size_with_each_runs_line_drawn_in_its_colour()
    {
        using var dir = new TempDirectory();
        string png = dir.Combine("sub", "curve.png");
        LearningCurvePlot.SavePng([Slow, Fast], png, width: 640, height: 400);

        byte[] bytes = File.ReadAllBytes(png);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, bytes[..8]);
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((640, 400), (bitmap.Width, bitmap.Height));

        // Every line is drawn: its colour covers a good stretch of pixels (a 2 px line across most of the width).
        var colours = LearningCurvePlot.Create([Slow, Fast]).GetPlottables().OfType<Scatter>().Select(l => l.LineColor).ToList();
        foreach (var colour in colours)
        {
            int count = 0;
            foreach (SKColor pixel in bitmap.Pixels)
                if (pixel.Red == colour.R && pixel.Green == colour.G && pixel.Blue == colour.B) count++;
            Assert.True(count > 300, $"only {count} pixels of {colour}");
        }
    }

    [Fact]
    public void A_run_folder_gives_a_curve_named_after_it_from_its_eval_csv()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("point_goal-seed3");
        Directory.CreateDirectory(runDir);
        using (var log = new CsvLog<EvalRow>(RunFiles.EvalPath(runDir)))
        {
            log.Append(Eval(250, 0.25));
            log.Append(Eval(500, 0.75));
        }
        var curve = LearningCurve.FromRunDirectory(runDir + Path.DirectorySeparatorChar);
        Assert.Equal("point_goal-seed3", curve.Label);
        Assert.Equal([250L, 500L], curve.Evaluations.Select(e => e.Timesteps));
        Assert.Equal([0.25, 0.75], curve.Evaluations.Select(e => e.SuccessRate));
    }
}
