using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

/// <summary>PointGoal-v0 that terminates on success, without <see cref="IComputesTerminated"/>: a goal env whose termination the buffer cannot
/// recompute.</summary>
internal sealed class PointGoalWithoutTermination() : PointGoalWrapper(new PointGoalEnv(terminateOnSuccess: true))
{
    public override string Id => "PointGoalWithoutTermination-test";
}
