namespace HerTools.Core.Sweeps;

/// <summary>What a trial of a search is.</summary>
public enum SearchSeedMode
{
    /// <summary>A configuration with all its seeds: scored by the mean over its seeds, promoted or stopped as a whole.</summary>
    Aggregate,
    /// <summary>Each run (configuration and seed) on its own.</summary>
    Separate,
}
