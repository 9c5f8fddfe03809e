namespace HerTools.Core.Envs;

/// <summary>
/// A goal-conditioned environment (the Gymnasium-Robotics <c>GoalEnv</c> contract).
/// Rewards must be a pure function of (achieved goal, desired goal) so the HER buffer can
/// recompute them for relabeled goals, whole batches at a time.
/// </summary>
public interface IGoalEnv
{
    /// <summary>The registry id this instance was made from, e.g. <c>PointGoal-v0</c>.</summary>
    string Id { get; }
    GoalObservationSpace ObservationSpace { get; }
    Box ActionSpace { get; }
    int MaxEpisodeSteps { get; }

    /// <summary>Starts an episode. With a seed the environment's generator is reseeded first; without one it continues.</summary>
    GoalObservation Reset(ulong? seed = null);

    /// <summary>Advances one step. The action is not modified.</summary>
    StepResult Step(ReadOnlySpan<float> action);

    /// <summary>
    /// Batched reward: row i of <paramref name="achievedGoals"/> and <paramref name="desiredGoals"/>
    /// (each <c>rewards.Length</c> rows of the goal size, row-major) gives <c>rewards[i]</c>.
    /// <paramref name="infos"/> is empty when the caller has none (the replay buffer keeps none).
    /// </summary>
    void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards);
}

/// <summary>
/// An environment whose state can be saved and restored, so a resumed run continues the episode in progress bit for
/// bit. Optional: a checkpoint of an environment without it resumes with a fresh episode where it was taken.
/// </summary>
public interface ISavesState
{
    /// <summary>Writes everything needed to continue the current episode exactly (generator included).</summary>
    void WriteState(BinaryWriter writer);
    /// <summary>Reads what <see cref="WriteState"/> wrote, exactly that many bytes.</summary>
    void ReadState(BinaryReader reader);
}

/// <summary>An environment whose termination is a pure function of the goals; the HER buffer recomputes it for relabeled goals.</summary>
public interface IComputesTerminated
{
    void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated);
}

/// <summary>An environment that can say, for a batch, whether a goal pair ends the episode by time limit.</summary>
public interface IComputesTruncated
{
    void ComputeTruncated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> truncated);
}
