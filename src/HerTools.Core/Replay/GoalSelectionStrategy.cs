namespace HerTools.Core.Replay;

/// <summary>
/// Where a relabeled transition's new desired goal comes from (Andrychowicz et al. 2017, section 4.5).
/// The numbering follows Stable-Baselines3's <c>GoalSelectionStrategy</c>; config files use the names
/// <c>future</c>, <c>final</c> and <c>episode</c> (see <see cref="GoalSelectionStrategyNames"/>).
/// </summary>
public enum GoalSelectionStrategy
{
    /// <summary>An achieved goal reached at or after the sampled step, in the same episode (the default).</summary>
    Future = 0,
    /// <summary>The last achieved goal of the episode.</summary>
    Final = 1,
    /// <summary>Any achieved goal of the episode.</summary>
    Episode = 2,
}
