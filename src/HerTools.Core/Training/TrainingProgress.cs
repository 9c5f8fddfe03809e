namespace HerTools.Core.Training;

/// <summary>What the engine reports to a front end while training (through <see cref="IProgress{T}"/>): never printed by the engine itself.</summary>
public sealed record TrainingProgress(
    long Timesteps,
    long TotalTimesteps,
    long Episodes,
    double StepsPerSecond,
    double? TrainSuccessRate,
    double? LastEvalSuccessRate,
    TimeSpan Elapsed,
    TimeSpan? Remaining,
    string? Message = null)
{
    public double FractionDone => TotalTimesteps <= 0 ? 1 : Math.Min(1.0, (double)Timesteps / TotalTimesteps);
}
