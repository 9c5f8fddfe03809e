using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Plotting;

/// <summary>One line of a learning-curve plot: a run's evaluations (success rate against environment steps).</summary>
public sealed record LearningCurve(string Label, IReadOnlyList<EvalRow> Evaluations)
{
    /// <summary>Reads a run folder's <c>eval.csv</c>; the label defaults to the folder's name.
    /// A run that has not evaluated yet gives a curve with no points.</summary>
    public static LearningCurve FromRunDirectory(string runDirectory, string? label = null)
    {
        string trimmed = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        return new LearningCurve(label ?? Path.GetFileName(trimmed), RunRecords.Evaluations(trimmed));
    }
}
