using HerTools.Core.Metrics;

namespace HerTools.Plotting;

/// <summary>One line of a learning-curve plot: a run's evaluations (success rate against environment steps).</summary>
public sealed record LearningCurve(string Label, IReadOnlyList<EvalRow> Evaluations);
