namespace HerTools.Core.Sweeps;

/// <summary>One <c>sbatch</c> of a sweep's job array.</summary>
/// <param name="JobId">The array's job id, as <c>sbatch --parsable</c> printed it.</param>
/// <param name="Indices">The array indices submitted: the rows of <c>runs.csv</c> that were not done.</param>
/// <param name="ScriptPath">The batch script, <c>slurm/sweep.sbatch</c> in the sweep folder.</param>
/// <param name="Arguments">The <c>sbatch</c> arguments used (the script last).</param>
public sealed record SlurmSubmission(string JobId, IReadOnlyList<int> Indices, string ScriptPath, IReadOnlyList<string> Arguments);
