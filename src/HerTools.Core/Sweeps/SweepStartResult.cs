namespace HerTools.Core.Sweeps;

/// <summary>What <see cref="SweepRunner.Start"/> did.</summary>
/// <param name="Backend">Where the runs went.</param>
/// <param name="Submission">Slurm: the job array submitted; null locally, or when every run was done, queued or running.</param>
/// <param name="Statuses">Every run's status afterwards (locally: once the runs ended or stopped).</param>
public sealed record SweepStartResult(SweepBackend Backend, SlurmSubmission? Submission, IReadOnlyList<SweepRunStatus> Statuses);
