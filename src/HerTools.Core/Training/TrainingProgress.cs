namespace HerTools.Core.Training;

/// <summary>What the engine reports to a front end while training (through <see cref="IProgress{T}"/>): never printed by the engine itself.
/// <see cref="IsWarning"/> marks a <see cref="Message"/> about something likely wrong with the run (shown as a warning).</summary>
public sealed record TrainingProgress(
    long Timesteps,
    long TotalTimesteps,
    long Episodes,
    double StepsPerSecond,
    double? TrainSuccessRate,
    double? LastEvalSuccessRate,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    string? Message = null,
    bool IsWarning = false)
{
    public double FractionDone => TotalTimesteps <= 0 ? 1 : Math.Min(1.0, (double)Timesteps / TotalTimesteps);
}
