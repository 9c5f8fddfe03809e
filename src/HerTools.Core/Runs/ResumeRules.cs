using HerTools.Core.Config;

namespace HerTools.Core.Runs;

/// <summary>Which config a resumed run trains with: the one it was saved with (the checkpoint's, or for a run with no
/// checkpoint yet, its <c>config.yaml</c>), of which only the budget and the thread count may change.</summary>
public static class ResumeRules
{
    /// <summary>
    /// The config to continue with: <paramref name="saved"/>, with <c>total_timesteps</c> and <c>threads</c> taken from
    /// <paramref name="requested"/> when one is given.
    /// </summary>
    /// <exception cref="ConfigException">The request differs in another key, or its budget is below <paramref name="step"/>.</exception>
    public static RunConfig Merge(RunConfig saved, RunConfig? requested, long step, string savedFrom)
    {
        var merged = saved.Clone();
        if (requested is not null)
        {
            var comparable = requested.Clone();
            comparable.TotalTimesteps = saved.TotalTimesteps;
            comparable.Threads = saved.Threads;
            comparable.RunId = saved.RunId;
            if (comparable.ToYaml() != saved.ToYaml())
                throw new ConfigException($"differs from the config of {savedFrom}; on resume only total_timesteps and threads may change", key: "config");
            merged.TotalTimesteps = requested.TotalTimesteps;
            merged.Threads = requested.Threads;
        }
        CheckBudget(merged, step, savedFrom);
        return merged;
    }

    /// <summary>Refuses a budget below the step a run resumes from.</summary>
    /// <exception cref="ConfigException"><c>total_timesteps</c> is below <paramref name="step"/>.</exception>
    public static void CheckBudget(RunConfig config, long step, string savedFrom)
    {
        // A smaller budget would end the run at once and write a checkpoint claiming a budget it had already passed.
        if (config.TotalTimesteps < step)
            throw new ConfigException($"is {config.TotalTimesteps}, below step {step} of {savedFrom}; a resumed run can only go on", key: "total_timesteps");
    }
}
