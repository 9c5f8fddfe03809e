using HerTools.Core.Envs;

namespace HerTools.Core.Config;

/// <summary>Checks that involve more than one key, or the environment registry, once a config is fully read.</summary>
internal static class ConfigValidator
{
    internal static void RememberOrigin(HerConfig config, string path, (string File, int Line)? source, string? overrideText) =>
        config.Origins[path] = new ConfigOrigin(source?.File, source?.Line, overrideText);

    internal static void Validate(HerConfig config, string sourceName)
    {
        ConfigException Error(string key, string problem)
        {
            var origin = config.Origins.GetValueOrDefault(key, new ConfigOrigin(sourceName, null, null));
            return new ConfigException(problem, key: key, file: origin.File ?? sourceName, line: origin.Line, overrideText: origin.Override);
        }

        if (config.Ddpg.BatchSize > config.Ddpg.BufferSize)
            throw Error("ddpg.batch_size", $"must not exceed ddpg.buffer_size ({config.Ddpg.BufferSize}), got {config.Ddpg.BatchSize}");

        // The spec's evaluation episodes have seeds apart from training's: the run's first episode is reset with `seed`.
        var eval = config.Eval;
        if (config.Seed >= eval.EvalSeed && config.Seed - eval.EvalSeed < (ulong)eval.NEvalEpisodes)
            throw Error("seed", $"must not be one of the evaluation seeds (eval.eval_seed {eval.EvalSeed} to {eval.EvalSeed + (ulong)eval.NEvalEpisodes - 1}): " +
                $"the first training episode would be an evaluation episode; got {config.Seed}");

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
            throw Error("ddpg.clip_return", $"cannot be used with algo '{config.Algo}': SAC's soft values include the entropy bonus, so returns are not bounded by [-1/(1-gamma), 0]");
        if (learner == "sac" && config.Ddpg.ActionL2 > 0)
            throw Error("ddpg.action_l2", $"cannot be used with algo '{config.Algo}': SAC's actor samples its actions (its entropy term keeps them spread)");

        EnvOptionsCheck.Check(config.Env, (key, problem) => Error(key, problem));
    }
}
