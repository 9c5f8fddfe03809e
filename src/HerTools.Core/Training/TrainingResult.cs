using HerTools.Core.Config;

namespace HerTools.Core.Training;

/// <summary>The outcome of one training run: where everything went and how well it did.</summary>
public sealed record TrainingResult(
    string RunDirectory,
    string RunId,
    RunConfig Config,
    TrainingStatus Status,
    long Timesteps,
    long Episodes,
    TimeSpan Duration,
    double StepsPerSecond,
    double? FinalEvalSuccessRate,
    double? BestEvalSuccessRate,
    string ProgressCsvPath,
    string EvalCsvPath,
    string? LastCheckpointPath,
    string? BestCheckpointPath);
