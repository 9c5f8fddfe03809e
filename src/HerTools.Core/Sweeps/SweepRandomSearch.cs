namespace HerTools.Core.Sweeps;

/// <summary>A sweep's <c>random:</c> section: <see cref="Samples"/> points drawn from the parameters' distributions.</summary>
/// <param name="Samples">How many points are drawn; each is crossed with every grid point and every seed.</param>
/// <param name="Seed">Seed of the draws: <c>random.seed</c>, or derived from the sweep file's text when it has none.</param>
/// <param name="Parameters">The keys drawn, in the order the file lists them (also the order of draws).</param>
public sealed record SweepRandomSearch(int Samples, ulong Seed, IReadOnlyList<SweepParameter> Parameters);
