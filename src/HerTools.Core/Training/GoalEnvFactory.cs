using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>Makes the environment a config names: a registered one (built-in or plug-in), or an environment process.</summary>
internal static class GoalEnvFactory
{
    /// <summary>Copies of an environment process an evaluation runs side by side. Each copy is a child process, and its
    /// steps are round trips that run one after another anyway, so more children would only cost memory.</summary>
    public const int MaxProcessEvaluationCopies = 1;

    public static IGoalEnv Make(RunConfig config) => IsProcess(config)
        ? ProcessGoalEnv.Start(config.Env.Command, config.Env.Options, TimeSpan.FromSeconds(config.Env.ProcessTimeoutSeconds))
        : EnvRegistry.Make(config.Env.Id, config.Env.Options);

    /// <summary>How many environments an evaluation of <paramref name="episodes"/> episodes runs side by side: up to
    /// <see cref="Evaluator.MaxParallelEpisodes"/> in this process, <see cref="MaxProcessEvaluationCopies"/> of a process.</summary>
    public static int EvaluationCopies(RunConfig config, int episodes) =>
        Math.Max(1, Math.Min(episodes, IsProcess(config) ? MaxProcessEvaluationCopies : Evaluator.MaxParallelEpisodes));

    private static bool IsProcess(RunConfig config) => config.Env.Id == ProcessGoalEnv.EnvId;
}
