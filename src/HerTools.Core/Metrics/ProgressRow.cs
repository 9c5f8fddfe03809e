using CsvHelper.Configuration.Attributes;

namespace HerTools.Core.Metrics;

/// <summary>
/// One row of <c>progress.csv</c>, written every <c>log.log_interval</c> steps. The columns, their order and
/// meaning are fixed by <see cref="SchemaVersion"/> (documented in <c>docs/metrics.md</c>): sweeps rely on them.
/// Empty cells mean "not measured yet" (losses before learning starts, success before the first episode ends).
/// </summary>
public sealed record ProgressRow
{
    /// <summary>Bumped whenever a column is added, removed or changes meaning.</summary>
    public const int CurrentSchemaVersion = 1;

    [Name("schema_version"), Index(0)] public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    [Name("run_id"), Index(1)] public string RunId { get; init; } = "";
    [Name("seed"), Index(2)] public ulong Seed { get; init; }
    [Name("config_hash"), Index(3)] public string ConfigHash { get; init; } = "";
    [Name("timesteps"), Index(4)] public long Timesteps { get; init; }
    [Name("episodes"), Index(5)] public long Episodes { get; init; }
    [Name("gradient_steps"), Index(6)] public long GradientSteps { get; init; }
    /// <summary>Training wall time so far, evaluation excluded, carried across resumes.</summary>
    [Name("wall_time_s"), Index(7)] public double WallTimeSeconds { get; init; }
    /// <summary>Environment steps per second of training over the last log interval.</summary>
    [Name("steps_per_s"), Index(8)] public double StepsPerSecond { get; init; }
    /// <summary>Share of training episodes ended in the last interval whose last step was a success.</summary>
    [Name("train_success_rate"), Index(9)] public double? TrainSuccessRate { get; init; }
    [Name("train_return"), Index(10)] public double? TrainReturn { get; init; }
    [Name("actor_loss"), Index(11)] public double? ActorLoss { get; init; }
    [Name("critic_loss"), Index(12)] public double? CriticLoss { get; init; }
    [Name("mean_q"), Index(13)] public double? MeanQ { get; init; }
    /// <summary>HER diagnostic: share of sampled transitions whose desired goal was relabeled.</summary>
    [Name("relabeled_share"), Index(14)] public double? RelabeledShare { get; init; }
    /// <summary>HER diagnostic: share of sampled transitions with reward 0 (goal reached) after relabeling.</summary>
    [Name("reward0_share"), Index(15)] public double? Reward0Share { get; init; }
    /// <summary>The latest evaluation success rate at this point, if any evaluation ran.</summary>
    [Name("eval_success_rate"), Index(16)] public double? EvalSuccessRate { get; init; }

    /// <summary>The same row with the wall-clock columns cleared: what two runs of one seed must agree on.</summary>
    public ProgressRow WithoutWallClock() => this with { WallTimeSeconds = 0, StepsPerSecond = 0 };
}
