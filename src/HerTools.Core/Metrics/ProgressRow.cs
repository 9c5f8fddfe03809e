using System.Globalization;
using CsvHelper.Configuration;
using CsvHelper.Configuration.Attributes;

namespace HerTools.Core.Metrics;

/// <summary>
/// One row of <c>progress.csv</c>, written every <c>log.log_interval</c> steps. The columns, their order and
/// meaning are fixed by <see cref="SchemaVersion"/> (documented in <c>docs/metrics.md</c>): sweeps rely on them.
/// Empty cells mean "not measured yet" (losses before learning starts, success before the first episode ends).
/// <para>
/// Column sets grow only by appending, and <c>schema_version</c> names the set a file holds: 1 is the common set
/// every learner writes (DDPG and TD3 write nothing else, so their files are what they always were); 2 is set 1
/// followed by SAC's <c>entropy_coef</c> and <c>actor_log_prob</c>. Readers go by column name, so one reader reads both.
/// </para>
/// </summary>
public sealed record ProgressRow
{
    /// <summary>The common column set: the version of every learner's file but SAC's.</summary>
    public const int CurrentSchemaVersion = 1;
    /// <summary>Set 1 followed by SAC's own columns.</summary>
    public const int SacSchemaVersion = 2;

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
    /// <summary>SAC (schema 2): mean entropy coefficient alpha of this interval's updates.</summary>
    [Name("entropy_coef"), Index(17), Optional] public double? EntropyCoef { get; init; }
    /// <summary>SAC (schema 2): mean log-probability of the policy's sampled actions in this interval's updates.</summary>
    [Name("actor_log_prob"), Index(18), Optional] public double? ActorLogProb { get; init; }

    /// <summary>The schema version a learner's <c>progress.csv</c> has: 2 for SAC, 1 for the others.</summary>
    public static int SchemaVersionFor(string learner) => learner == "sac" ? SacSchemaVersion : CurrentSchemaVersion;

    /// <summary>The columns of a schema version, to open a <see cref="CsvLog{TRow}"/> with.</summary>
    public static ClassMap<ProgressRow> Columns(int schemaVersion)
    {
        var map = new DefaultClassMap<ProgressRow>();
        map.AutoMap(CultureInfo.InvariantCulture);
        if (schemaVersion < SacSchemaVersion)
        {
            map.Map(r => r.EntropyCoef).Ignore();
            map.Map(r => r.ActorLogProb).Ignore();
        }
        return map;
    }

    /// <summary>The row's numeric columns that have a value, by their column names: what TensorBoard shows of it.</summary>
    public IEnumerable<(string Column, double Value)> Scalars()
    {
        (string, double?)[] columns =
        [
            ("episodes", Episodes), ("gradient_steps", GradientSteps), ("wall_time_s", WallTimeSeconds), ("steps_per_s", StepsPerSecond),
            ("train_success_rate", TrainSuccessRate), ("train_return", TrainReturn), ("actor_loss", ActorLoss), ("critic_loss", CriticLoss),
            ("mean_q", MeanQ), ("relabeled_share", RelabeledShare), ("reward0_share", Reward0Share), ("eval_success_rate", EvalSuccessRate),
            ("entropy_coef", EntropyCoef), ("actor_log_prob", ActorLogProb),
        ];
        foreach (var (column, value) in columns)
            if (value is double v) yield return (column, v);
    }

    /// <summary>The same row with the wall-clock columns cleared: what two runs of one seed must agree on.</summary>
    public ProgressRow WithoutWallClock() => this with { WallTimeSeconds = 0, StepsPerSecond = 0 };
}
