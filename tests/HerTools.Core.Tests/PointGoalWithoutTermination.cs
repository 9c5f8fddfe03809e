using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

/// <summary>PointGoal-v0 without <see cref="IComputesTerminated"/>: a goal env whose termination the buffer cannot recompute.</summary>
internal sealed class PointGoalWithoutTermination : IGoalEnv
{
    private readonly PointGoalEnv _inner = new(terminateOnSuccess: true);
    public string Id => "PointGoalWithoutTermination-test";
    public GoalObservationSpace ObservationSpace => _inner.ObservationSpace;
    public Box ActionSpace => _inner.ActionSpace;
    public int MaxEpisodeSteps => _inner.MaxEpisodeSteps;
    public GoalObservation Reset(ulong? seed = null) => _inner.Reset(seed);
    public StepResult Step(ReadOnlySpan<float> action) => _inner.Step(action);
    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards) =>
        _inner.ComputeReward(achievedGoals, desiredGoals, infos, rewards);
    public void WriteState(BinaryWriter writer) => _inner.WriteState(writer);
    public void ReadState(BinaryReader reader) => _inner.ReadState(reader);
}
