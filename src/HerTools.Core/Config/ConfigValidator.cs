using HerTools.Core.Envs;

namespace HerTools.Core.Config;

/// <summary>Checks that involve more than one key, or the environment registry, once a config is fully read.</summary>
internal static class ConfigValidator
{
    internal static void RememberOrigin(RunConfig config, string path, (string File, int Line)? source, string? overrideText) =>
        config.Origins[path] = new ConfigOrigin(source?.File, source?.Line, overrideText);

    /// <summary>A problem with <paramref name="key"/>, pointing where its value came from.</summary>
    internal static ConfigException ErrorAt(RunConfig config, string key, string problem, string sourceName)
    {
        var origin = config.Origins.GetValueOrDefault(key, new ConfigOrigin(sourceName, null, null));
        return new ConfigException(problem, key: key, file: origin.File ?? sourceName, line: origin.Line, overrideText: origin.Override);
    }

    /// <summary>What only the environment itself can tell: a buffer must hold one whole episode of every copy.</summary>
    internal static void CheckRunnable(RunConfig config, int maxEpisodeSteps, string sourceName)
    {
        if (config.NEnvs == 1 && config.Ddpg.BufferSize < maxEpisodeSteps)
            throw ErrorAt(config, "ddpg.buffer_size",
                $"must hold at least one whole episode of {config.Env.Id} ({maxEpisodeSteps} steps), got {config.Ddpg.BufferSize}", sourceName);
        // Each copy keeps its episodes in its own share of the buffer, buffer_size / n_envs transitions (Stable-Baselines3's split).
        if (config.Ddpg.BufferSize / config.NEnvs < maxEpisodeSteps)
            throw ErrorAt(config, "ddpg.buffer_size",
                $"must hold at least one whole episode of {config.Env.Id} ({maxEpisodeSteps} steps) for each of the n_envs = {config.NEnvs} copies " +
                $"({(long)maxEpisodeSteps * config.NEnvs} transitions), got {config.Ddpg.BufferSize}", sourceName);
    }

    internal static void Validate(RunConfig config, string sourceName)
    {
        ConfigException Error(string key, string problem)
        {
            var origin = config.Origins.GetValueOrDefault(key, new ConfigOrigin(sourceName, null, null));
            return new ConfigException(problem, key: key, file: origin.File ?? sourceName, line: origin.Line, overrideText: origin.Override);
        }

        // run_id names the run in every progress.csv row and may name its folder: a line break would tear the CSV rows
        // (which are cut and read line by line), a separator would put the folder elsewhere.
        if (config.RunId.Any(c => char.IsControl(c) || c is '/' or '\\') || config.RunId is "." or "..")
            throw Error("run_id", $"must not contain line breaks, other control characters or path separators, got '{config.RunId.ReplaceLineEndings("\\n")}'");

        if (config.Ddpg.BatchSize > config.Ddpg.BufferSize)
            throw Error("ddpg.batch_size", $"must not exceed ddpg.buffer_size ({config.Ddpg.BufferSize}), got {config.Ddpg.BatchSize}");

        // Stable-Baselines3 refuses episodic training with several environments: episodes of lockstep copies do not end together.
        if (config.NEnvs > 1 && config.Ddpg.Schedule == "step" && config.Ddpg.TrainFreqUnit == "episode")
            throw Error("ddpg.train_freq_unit", $"must be step with n_envs = {config.NEnvs} (as in Stable-Baselines3, episodic training uses one environment)");

        // The spec's evaluation episodes have seeds apart from training's: the run's first episode is reset with `seed`.
        var eval = config.Eval;
        if (config.Seed >= eval.EvalSeed && config.Seed - eval.EvalSeed < (ulong)eval.NEvalEpisodes)
            throw Error("seed", $"must not be one of the evaluation seeds (eval.eval_seed {eval.EvalSeed} to " +
                $"{eval.EvalSeed + (ulong)eval.NEvalEpisodes - 1}): " +
                $"the first training episode would be an evaluation episode; got {config.Seed}");

        // Plug-ins first: their environments are then checked, and their options too, exactly like the built-in ones.
        foreach (string assembly in config.Env.Assemblies)
        {
            try { EnvPluginLoader.Load(assembly); }
            catch (EnvRegistrationException e) { throw Error("env.assembly", e.Message); }
        }
        // A learner's own keys set for another learner would be silently ignored; SAC's soft values and sampled actions
        // fit neither DDPG's return clipping nor its action penalty.
        string learner = ConfigSchema.LearnerOf(config);
        foreach (string key in config.Origins.Keys.Order(StringComparer.Ordinal))
        {
            int dot = key.IndexOf('.');
            string? section = dot < 0 ? null : key[..dot];
            if (ConfigSchema.IsLearnerSection(section) && section != learner)
                throw Error(key, $"applies to the {section} learner, but algo '{config.Algo}' learns with {learner} (use algo: {section}_her or {section})");
        }
        if (learner == "sac" && config.Ddpg.ClipReturn)
            throw Error("ddpg.clip_return", $"cannot be used with algo '{config.Algo}': SAC's soft values include the entropy bonus, "
                + "so returns are not bounded by [-1/(1-gamma), 0]");
        if (learner == "sac" && config.Ddpg.ActionL2 > 0)
            throw Error("ddpg.action_l2", $"cannot be used with algo '{config.Algo}': SAC's actor samples its actions (its entropy term keeps them spread)");

        EnvOptionsCheck.Check(config.Env, (key, problem) => Error(key, problem));
    }
}
