using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>A checkpoint's policy with an environment of its run, disposed together.</summary>
internal sealed record LoadedPolicy(GoalConditionedAgent Policy, IGoalEnv Env, RunConfig Config) : IDisposable
{
    public void Dispose()
    {
        Policy.Dispose();
        (Env as IDisposable)?.Dispose(); // an environment process ends with its policy
    }
}
