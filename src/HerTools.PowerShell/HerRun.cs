using HerTools.Core.Config;
using HerTools.Core.Training;

namespace HerTools.PowerShell;

/// <summary>What <c>Start-HerTraining</c> returns: one training run, where its files went and how well it did.
/// Its <see cref="RunDirectory"/> pipes into <c>Get-HerCheckpoint</c>, <c>Import-HerMetric</c> and <c>Export-HerLearningCurve</c>.</summary>
public sealed class HerRun
{
    public string RunDirectory { get; init; } = "";
    public string RunId { get; init; } = "";
    public RunConfig Config { get; init; } = new();
    public TrainingStatus Status { get; init; }
    public long Timesteps { get; init; }
    public long Episodes { get; init; }
    public TimeSpan Duration { get; init; }
    public double StepsPerSecond { get; init; }
    public double? FinalEvalSuccessRate { get; init; }
    public double? BestEvalSuccessRate { get; init; }
    /// <summary>The run's <c>progress.csv</c> (the metrics file).</summary>
    public string ProgressCsv { get; init; } = "";
    public string EvalCsv { get; init; } = "";
    public string? LastCheckpoint { get; init; }
    public string? BestCheckpoint { get; init; }

    internal static HerRun From(TrainingResult result) => new()
    {
        RunDirectory = result.RunDirectory,
        RunId = result.RunId,
        Config = result.Config,
        Status = result.Status,
        Timesteps = result.Timesteps,
        Episodes = result.Episodes,
        Duration = result.Duration,
        StepsPerSecond = result.StepsPerSecond,
        FinalEvalSuccessRate = result.FinalEvalSuccessRate,
        BestEvalSuccessRate = result.BestEvalSuccessRate,
        ProgressCsv = result.ProgressCsvPath,
        EvalCsv = result.EvalCsvPath,
        LastCheckpoint = result.LastCheckpointPath,
        BestCheckpoint = result.BestCheckpointPath,
    };
}
