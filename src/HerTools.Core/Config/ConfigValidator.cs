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

        EnvOptionsCheck.Check(config.Env, (key, problem) => Error(key, problem));
    }
}
