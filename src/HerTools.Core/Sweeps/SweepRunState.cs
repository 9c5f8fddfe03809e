namespace HerTools.Core.Sweeps;

/// <summary>Where a sweep's run stands; written lower-case in <c>sweep.csv</c> and <c>status.json</c>.</summary>
public enum SweepRunState
{
    /// <summary>Not started yet (no <c>status.json</c>).</summary>
    Pending,
    /// <summary>Training now.</summary>
    Running,
    /// <summary>Reached its <c>total_timesteps</c>.</summary>
    Done,
    /// <summary>Ended with an error (bad override, diverged training, unreadable checkpoint...); see its error.</summary>
    Failed,
    /// <summary>Stopped before its budget (asked to, preempted, out of time, or its process died); resumable from its latest checkpoint.</summary>
    Stopped,
}
