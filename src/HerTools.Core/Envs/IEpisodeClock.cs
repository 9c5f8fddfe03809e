namespace HerTools.Core.Envs;

/// <summary>
/// An environment that tells how many steps its current episode has taken. A restored run checks it against the
/// run's own count: an environment clock behind the run's would let an episode outgrow the time limit the replay
/// buffer was sized for. Internal: the built-in environments have it; a plug-in's clock goes unchecked.
/// </summary>
internal interface IEpisodeClock
{
    /// <summary>Steps taken in the current episode.</summary>
    int ElapsedSteps { get; }
}
