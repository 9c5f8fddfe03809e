using HerTools.Core.Envs;

namespace HerTools.Core.Config;

/// <summary>Checks <c>env.id</c> and the environment's options against the environment registry before training starts.</summary>
internal static class EnvOptionsCheck
{
    internal static void Check(EnvConfig env, Func<string, string, ConfigException> error)
    {
        EnvSpec spec;
        try { spec = EnvRegistry.Get(env.Id); }
        catch (UnknownEnvironmentException e) { throw error("env.id", e.Message); }
        try { EnvRegistry.ResolveOptions(spec, env.Options); }
        catch (EnvOptionException e) { throw error("env." + e.OptionName, e.Message); }
    }
}
