namespace HerTools.Core.Sweeps;

/// <summary>What <c>squeue</c> says of one task of a sweep's job array.</summary>
/// <param name="ArrayTaskId">The array index: the run's index in <c>runs.csv</c>.</param>
/// <param name="JobId">The task's id as Slurm writes it, <c>&lt;array job id&gt;_&lt;index&gt;</c>.</param>
/// <param name="State">Slurm's state name: <c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETING</c>, <c>REQUEUED</c>, ...</param>
public sealed record SlurmTaskState(int ArrayTaskId, string JobId, string State);
