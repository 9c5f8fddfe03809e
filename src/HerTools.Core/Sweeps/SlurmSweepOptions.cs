namespace HerTools.Core.Sweeps;

/// <summary>The <c>slurm:</c> section of a sweep file: what the job array asks of the scheduler.</summary>
public sealed record SlurmSweepOptions
{
    /// <summary>The partition (<c>--partition</c>); null: the cluster's default.</summary>
    public string? Partition { get; init; }
    /// <summary>CPUs per task (<c>--cpus-per-task</c>).</summary>
    public int CpusPerTask { get; init; } = 1;
    /// <summary>Memory per task (<c>--mem</c>, e.g. <c>2G</c>); null: the cluster's default.</summary>
    public string? Mem { get; init; }
    /// <summary>Time limit per task (<c>--time</c>, e.g. <c>00:30:00</c>); null: the partition's.</summary>
    public string? Time { get; init; }
    /// <summary>Tasks running at once (the <c>%N</c> of <c>--array</c>); null: no limit.</summary>
    public int? MaxConcurrent { get; init; }
    /// <summary>Seconds before the time limit at which a task is sent SIGTERM to checkpoint and stop (<c>--signal=B:TERM@N</c>).</summary>
    public int SignalSeconds { get; init; } = 120;
    /// <summary>Further <c>sbatch</c> arguments, each one argument (<c>--qos=short</c>, <c>--account=lab</c>).</summary>
    public IReadOnlyList<string> SbatchArgs { get; init; } = [];
}
