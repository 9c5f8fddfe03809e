namespace HerTools.Core.Sweeps;

/// <summary>One key of a sweep's <c>grid:</c> and the values it takes, in the order the file lists them.</summary>
/// <param name="Key">The dotted config key.</param>
/// <param name="Values">Each value as YAML text.</param>
public sealed record SweepGridAxis(string Key, IReadOnlyList<string> Values);
