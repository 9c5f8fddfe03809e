using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

/// <summary>
/// PointGoal-v0 behind a test double: every member forwards to the wrapped environment, and a double overrides
/// only what it breaks or changes. It implements none of the optional interfaces (<see cref="IComputesTerminated"/>,
/// <see cref="IComputesTruncated"/>); a double that needs one adds it.
/// </summary>
internal abstract class PointGoalWrapper(PointGoalEnv inner) : IGoalEnv, ISavesState
{
    protected PointGoalEnv Inner { get; } = inner;

    public abstract string Id { get; }
    public GoalObservationSpace ObservationSpace => Inner.ObservationSpace;
    public Box ActionSpace => Inner.ActionSpace;
    public int MaxEpisodeSteps => Inner.MaxEpisodeSteps;
    public virtual GoalObservation Reset(ulong? seed = null) => Inner.Reset(seed);
    public virtual StepResult Step(ReadOnlySpan<float> action) => Inner.Step(action);

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards) =>
        Inner.ComputeReward(achievedGoals, desiredGoals, infos, rewards);

    public virtual void WriteState(BinaryWriter writer) => Inner.WriteState(writer);
    public virtual void ReadState(BinaryReader reader) => Inner.ReadState(reader);
}
