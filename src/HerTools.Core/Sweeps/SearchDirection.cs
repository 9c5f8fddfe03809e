namespace HerTools.Core.Sweeps;

/// <summary>Whether a search metric is better high or low.</summary>
public enum SearchDirection
{
    /// <summary>Higher is better (success rate, return).</summary>
    Max,
    /// <summary>Lower is better (final distance).</summary>
    Min,
}
