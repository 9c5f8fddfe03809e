using ScottPlot;
using ScottPlot.Plottables;

namespace HerTools.Plotting;

/// <summary>Draws evaluation success against environment steps, one line per run, into a PNG.</summary>
public static class LearningCurvePlot
{
    /// <summary>Builds the plot: one scatter line per curve, in the order given, labelled in the legend.</summary>
    public static Plot Create(IReadOnlyList<LearningCurve> curves, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(curves);
        var plot = new Plot();
        foreach (var curve in curves)
        {
            double[] steps = curve.Evaluations.Select(e => (double)e.Timesteps).ToArray();
            double[] success = curve.Evaluations.Select(e => e.SuccessRate).ToArray();
            Scatter line = plot.Add.Scatter(steps, success);
            line.LegendText = curve.Label;
            line.LineWidth = 2;
            line.MarkerSize = 5;
        }
        plot.XLabel("environment steps");
        plot.YLabel("evaluation success rate");
        if (title is not null) plot.Title(title);
        plot.ShowLegend(Alignment.LowerRight);
        // Success is a share: a fixed 0..1 axis lets plots of different runs be compared by eye.
        plot.Axes.SetLimitsY(-0.02, 1.02);
        return plot;
    }

    /// <summary>Writes the plot of <paramref name="curves"/> as a PNG of the given size (pixels).</summary>
    public static void SavePng(IReadOnlyList<LearningCurve> curves, string pngPath, int width = 800, int height = 500, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pngPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        Create(curves, title).SavePng(pngPath, width, height);
    }
}
