namespace HerTools.Core.Sweeps;

/// <summary>What a search decided about a trial at the last rung it entered.</summary>
public enum SearchDecision
{
    /// <summary>Its rung is not decided yet (its runs still train, or wait to).</summary>
    Pending,
    /// <summary>Among the best of its rung: it continues to the next rung's budget.</summary>
    Promoted,
    /// <summary>Not among the best of its rung: the search trains it no further.</summary>
    Stopped,
    /// <summary>A run of the trial failed: it has no score and is trained no further; the search goes on without it.</summary>
    Failed,
    /// <summary>Reached the last rung's budget but was not the best there.</summary>
    Finished,
    /// <summary>The best trial of the last rung: the search's choice.</summary>
    Chosen,
}
