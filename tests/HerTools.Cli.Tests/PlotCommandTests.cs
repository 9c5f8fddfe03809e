using HerTools.Core.Metrics;
using SkiaSharp;

namespace HerTools.Cli.Tests;

public class PlotCommandTests
{
    private static string WriteRun(TempDirectory dir, string name, params (long Timesteps, double Success)[] evaluations)
    {
        string runDir = dir.Combine(name);
        Directory.CreateDirectory(runDir);
        using var log = new CsvLog<EvalRow>(RunFiles.EvalPath(runDir));
        foreach (var (timesteps, success) in evaluations)
            log.Append(new EvalRow { Timesteps = timesteps, Episodes = 100, SuccessRate = success, MeanReturn = -10, MeanFinalDistance = 0.1 });
        return runDir;
    }

    [Fact]
    public void Plot_writes_a_png_from_the_eval_csv_of_each_run()
    {
        using var dir = new TempDirectory();
        string a = WriteRun(dir, "seed0", (250, 0.1), (500, 0.4), (750, 0.9));
        string b = WriteRun(dir, "seed1", (250, 0.0), (500, 0.2), (750, 0.7));
        string png = dir.Combine("curve.png");

        var run = Cli.Run("plot", a, b, "--output", png);

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal($"Wrote {png} (2 runs).\n", run.Out.ReplaceLineEndings("\n"));
        using var bitmap = SKBitmap.Decode(png);
        Assert.Equal((800, 500), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public void A_run_without_evaluations_is_left_out_with_a_warning()
    {
        using var dir = new TempDirectory();
        string done = WriteRun(dir, "done", (250, 0.5));
        string fresh = WriteRun(dir, "fresh");
        string png = dir.Combine("curve.png");

        var run = Cli.Run("plot", done, fresh, "-o", png);

        Assert.Equal(0, run.ExitCode);
        Assert.Contains("(1 run)", run.Out);
        Assert.Contains("fresh is left out", run.Error);
        Assert.True(File.Exists(png));
    }

    [Fact]
    public void A_run_folder_that_does_not_exist_is_bad_usage()
    {
        using var dir = new TempDirectory();
        var run = Cli.Run("plot", dir.Combine("missing"), "--output", dir.Combine("curve.png"));
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("run folder not found", run.Error);
        Assert.False(File.Exists(dir.Combine("curve.png")));
    }

    [Fact]
    public void Plot_without_output_is_bad_usage()
    {
        using var dir = new TempDirectory();
        string a = WriteRun(dir, "seed0", (250, 0.1));
        var run = Cli.Run("plot", a);
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains("--output", run.Error);
    }
}
