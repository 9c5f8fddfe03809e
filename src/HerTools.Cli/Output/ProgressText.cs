using HerTools.Core.Training;

namespace HerTools.Cli.Output;

/// <summary>The words both progress displays use for one report.</summary>
internal static class ProgressText
{
    /// <summary><c>1,140/3,000 steps (38%)  412 steps/s  success 0.85 (eval)  ETA 0:04</c>, then the engine's message if asked.</summary>
    public static string Describe(TrainingProgress p, bool withMessage = true)
    {
        var parts = new List<string>
        {
            $"{Format.Count(p.Timesteps)}/{Format.Count(p.TotalTimesteps)} steps ({p.FractionDone * 100:0}%)",
            $"{Format.Number(p.StepsPerSecond, "0")} steps/s",
        };
        if (p.LastEvalSuccessRate is double eval) parts.Add($"success {Format.Rate(eval)} (eval)");
        else if (p.TrainSuccessRate is double train) parts.Add($"success {Format.Rate(train)} (train)");
        parts.Add(p.Remaining is TimeSpan eta ? $"ETA {Format.Duration(eta)}" : "ETA -"); // the engine's estimate, none before any speed is known
        if (withMessage && !string.IsNullOrEmpty(p.Message)) parts.Add(p.Message);
        return string.Join("  ", parts);
    }
}
