using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>
/// The cheap part of <see cref="EnvChecker"/> (no replays), run on a plug-in environment the first time this process
/// trains it with a given file and options: HER recomputes every sampled reward with <see cref="IGoalEnv.ComputeReward"/>,
/// so one that disagrees with the rewards of <see cref="IGoalEnv.Step"/> would train on wrong rewards without a sign.
/// Those problems, malformed spaces and exceptions refuse the environment; the others come back as warnings.
/// Built-in environments are tested, not checked here.
/// </summary>
internal static class PluginEnvFirstUseCheck
{
    private const int Episodes = 2;
    private static readonly string[] Refusing =
        [EnvChecker.RewardCheck, EnvChecker.BatchCheck, EnvChecker.SpacesCheck, EnvChecker.ExceptionCheck, EnvChecker.ObservationCheck];
    private static readonly Lock Gate = new();
    private static readonly HashSet<string> Checked = new(StringComparer.Ordinal);

    /// <summary>Checks the environment of <paramref name="config"/> on a fresh instance, once per plug-in file and options.</summary>
    /// <returns>Warnings to show (empty for a built-in, an environment already checked, or one that passed).</returns>
    /// <exception cref="EnvCheckFailedException">A check training cannot do without failed.</exception>
    public static IReadOnlyList<string> Run(RunConfig config)
    {
        var plugin = EnvPluginLoader.Loaded().FirstOrDefault(p => p.Environments.Any(e => e.Id == config.Env.Id));
        if (plugin is null) return [];
        string key = $"{plugin.Sha256} {config.Env.Id} {string.Join(",", config.Env.Options.Select(o => $"{o.Key}={o.Value}"))}";
        lock (Gate)
        {
            if (Checked.Contains(key)) return [];
        }

        var report = EnvChecker.Check(EnvRegistry.Make(config.Env.Id, config.Env.Options), Episodes, config.Seed, replay: false);
        var refusing = report.Violations.Where(v => Refusing.Contains(v.Check)).ToList();
        if (refusing.Count > 0)
            throw new EnvCheckFailedException(
                $"{config.Env.Id} (plug-in {plugin.Path}) cannot be trained: {refusing[0]}" +
                (refusing.Count > 1 ? $" (and {refusing.Count - 1} more)" : "") +
                $"; 'her-tools envs check {config.Env.Id}' or Test-HerEnvironment lists every problem", report);
        lock (Gate) Checked.Add(key);
        return report.Violations.Select(v => $"warning: {config.Env.Id} (plug-in {plugin.Path}) fails the environment check: {v}").ToList();
    }
}
