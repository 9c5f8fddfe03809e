namespace HerTools.Plotting;

/// <summary>Draws evaluation success against environment steps, one line per run, into a PNG.</summary>
public static class LearningCurvePlot
{
    public static void SavePng(IReadOnlyList<LearningCurve> curves, string pngPath, int width = 800, int height = 500, string? title = null)
    {
        throw new NotImplementedException("plotting lands with the front ends");
    }
}
