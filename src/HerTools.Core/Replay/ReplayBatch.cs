namespace HerTools.Core.Replay;

/// <summary>
/// A sampled batch in the layout the actor-critic consumes: contiguous float32 rows ready to become
/// tensors in one copy. Allocated once and refilled by every <c>Sample</c> call.
/// </summary>
public sealed class ReplayBatch
{
    public ReplayBatch(int capacity, int observationSize, int goalSize, int actionSize)
    {
        Capacity = capacity; ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        int input = observationSize + goalSize;
        Inputs = new float[capacity * input];
        NextInputs = new float[capacity * input];
        Actions = new float[capacity * actionSize];
        AchievedGoals = new float[capacity * goalSize];
        NextAchievedGoals = new float[capacity * goalSize];
        Rewards = new float[capacity];
        NotDone = new float[capacity];
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    /// <summary>Width of one network input row: observation ++ desired goal.</summary>
    public int InputSize => ObservationSize + GoalSize;

    /// <summary>Rows actually filled by the last sample.</summary>
    public int Count { get; set; }
    /// <summary><c>observation ++ desired_goal</c> at t, <c>Count</c> rows of <see cref="InputSize"/>, as the buffer fills it
    /// (with relative goals, <see cref="Agents.GoalConditionedAgent"/> turns the goal part into <c>goal - achieved goal</c> in place).</summary>
    public float[] Inputs { get; }
    /// <summary><c>observation ++ desired_goal</c> at t+1 (the same, possibly relabeled, goal).</summary>
    public float[] NextInputs { get; }
    public float[] Actions { get; }
    /// <summary>Achieved goal at t, <c>Count</c> rows of <see cref="GoalSize"/> (what relative goals are measured from).</summary>
    public float[] AchievedGoals { get; }
    /// <summary>Achieved goal at t+1: the goal the transition reached, which its reward is computed from.</summary>
    public float[] NextAchievedGoals { get; }
    public float[] Rewards { get; }
    /// <summary>Bootstrap mask, 1 - terminated: a time-limit truncation still bootstraps.</summary>
    public float[] NotDone { get; }
    /// <summary>How many rows had their desired goal replaced (a HER diagnostic).</summary>
    public int RelabeledCount { get; set; }
    /// <summary>How many rows have reward 0 (goal reached) after relabeling (a HER diagnostic).</summary>
    public int ZeroRewardCount { get; set; }
}
