using ScottPlot;
using ScottPlot.Plottables;

namespace HerTools.Plotting;

/// <summary>Draws evaluation success (or any logged metric) against environment steps, one line per run or per group of runs
/// (a configuration's seeds, shaded from the lowest to the highest), into a PNG.</summary>
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

    /// <summary>
    /// Builds the plot of <paramref name="metric"/>: one line per band, its mean, labelled in the legend, and for a band of
    /// several runs a shaded area from the lowest to the highest run, in the line's colour.
    /// </summary>
    public static Plot Create(IReadOnlyList<CurveBand> bands, string metric, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(bands);
        var plot = new Plot();
        for (int i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            var colour = plot.Add.Palette.GetColor(i);
            double[] steps = band.Steps.Select(s => (double)s).ToArray();
            if (band.Runs > 1 && steps.Length > 0)
            {
                var fill = plot.Add.FillY(steps, band.Low.ToArray(), band.High.ToArray());
                fill.FillColor = colour.WithAlpha(0.25);
                fill.LineWidth = 0;
            }
            Scatter line = plot.Add.Scatter(steps, band.Mean.ToArray());
            line.Color = colour;
            line.LegendText = band.Label;
            line.LineWidth = 2;
            line.MarkerSize = band.Runs > 1 ? 0 : 5;
        }
        plot.XLabel("environment steps");
        plot.YLabel(metric == MetricCurve.DefaultMetric ? "evaluation success rate" : metric);
        if (title is not null) plot.Title(title);
        plot.ShowLegend(Alignment.LowerRight);
        if (MetricCurve.IsShare(metric)) plot.Axes.SetLimitsY(-0.02, 1.02);
        return plot;
    }

    /// <summary>Writes the plot of <paramref name="bands"/> (see <see cref="Create(IReadOnlyList{CurveBand}, string, string?)"/>) as a PNG.</summary>
    public static void SavePng(IReadOnlyList<CurveBand> bands, string metric, string pngPath, int width = 800, int height = 500, string? title = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(pngPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        string? folder = Path.GetDirectoryName(Path.GetFullPath(pngPath));
        if (folder is not null) Directory.CreateDirectory(folder);
        Create(bands, metric, title).SavePng(pngPath, width, height);
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
