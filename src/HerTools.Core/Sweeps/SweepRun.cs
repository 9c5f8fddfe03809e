namespace HerTools.Core.Sweeps;

/// <summary>One run of an expanded sweep: a point of the search space with one seed.</summary>
/// <param name="Index">Position in <c>runs.csv</c> (0-based); the Slurm array task id of the run.</param>
/// <param name="RunId">Stable, readable id, also the name of the run's folder under <c>runs/</c>.</param>
/// <param name="Point">The grid and random values of the run, grid keys first, in the file's order.</param>
/// <param name="Seed">The run's <c>seed</c>.</param>
public sealed record SweepRun(int Index, string RunId, IReadOnlyList<SweepOverride> Point, ulong Seed);
