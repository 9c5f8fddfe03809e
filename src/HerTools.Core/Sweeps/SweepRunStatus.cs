namespace HerTools.Core.Sweeps;

/// <summary>
/// One run of a sweep as <c>sweep.csv</c> reports it, read from its run folder (and the scheduler, for Slurm).
/// <see cref="RunDirectory"/> is an ordinary run folder: checkpoint and metrics commands take it.
/// </summary>
public sealed record SweepRunStatus
{
    public required int Index { get; init; }
    public required string RunId { get; init; }
    /// <summary>Full path of the run folder.</summary>
    public required string RunDirectory { get; init; }
    /// <summary>The run's grid and random values.</summary>
    public required IReadOnlyList<SweepOverride> Point { get; init; }
    public required ulong Seed { get; init; }
    public required SweepRunState State { get; init; }
    /// <summary>Environment steps done (the furthest of the logs and the latest checkpoint).</summary>
    public long Timesteps { get; init; }
    /// <summary>Success rate of the latest evaluation in <c>eval.csv</c>.</summary>
    public double? FinalEvalSuccessRate { get; init; }
    /// <summary>Best evaluation success rate in <c>eval.csv</c>.</summary>
    public double? BestEvalSuccessRate { get; init; }
    /// <summary>Timesteps of the first evaluation whose success rate reached the sweep's <c>success_threshold</c>.</summary>
    public long? StepsToThreshold { get; init; }
    /// <summary>Training wall time in seconds (the last <c>progress.csv</c> row; carried across resumes).</summary>
    public double? WallTimeSeconds { get; init; }
    /// <summary>Full path of the latest regular checkpoint; null when none.</summary>
    public string? LastCheckpoint { get; init; }
    /// <summary>Why the run failed or was found stopped.</summary>
    public string? Error { get; init; }
    /// <summary>The Slurm job id of the run's task (<c>123_4</c>) when the sweep was submitted to Slurm.</summary>
    public string? SlurmJobId { get; init; }
    /// <summary>What <c>squeue</c> says of the task (<c>PENDING</c>, <c>RUNNING</c>, ...); null when it is not queued or unknown.</summary>
    public string? SchedulerState { get; init; }
    /// <summary>A search: the last rung the run's trial entered (from 0); null for a sweep without <c>search:</c>.</summary>
    public int? Rung { get; init; }
    /// <summary>A search: that rung's budget, the steps the run trains to there.</summary>
    public long? RungBudget { get; init; }
    /// <summary>A search: the trial's score at that rung (the mean over its seeds when they are aggregated); null until decided.</summary>
    public double? Score { get; init; }
    /// <summary>A search: what the search decided at that rung (pending while it trains).</summary>
    public SearchDecision? Decision { get; init; }
}
