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
            throw Error("seed", $"must not be one of the evaluation seeds (eval.eval_seed {eval.EvalSeed} to " +
                $"{eval.EvalSeed + (ulong)eval.NEvalEpisodes - 1}): " +
                $"the first training episode would be an evaluation episode; got {config.Seed}");

        EnvOptionsCheck.Check(config.Env, (key, problem) => Error(key, problem));
    }
}
