using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>Where one environment copy's current episode stands: the observation its next action is chosen from, the
/// return and the steps so far.</summary>
internal sealed class EpisodeInProgress
{
    public GoalObservation Observation { get; set; } = null!;
    public double Return { get; set; }
    public int Length { get; set; }

    /// <summary>Begins the episode a reset returned <paramref name="first"/> for.</summary>
    public void Start(GoalObservation first)
    {
        Observation = first;
        Return = 0;
        Length = 0;
    }
}
