using HerTools.Core.Envs;

namespace HerTools.Core.Config;

/// <summary>Checks <c>env.id</c> and the environment's options against the environment registry before training starts.</summary>
internal static class EnvOptionsCheck
{
    internal static void Check(EnvConfig env, Func<string, string, ConfigException> error)
    {
        // An environment process declares no options here: the env. keys are sent to it, and it judges them.
        if (env.Id == ProcessGoalEnv.EnvId)
        {
            if (env.Command.Length == 0) throw error("env.command", "env.id: process needs the command that starts the environment, e.g. [python3, my_env.py]");
            return;
        }
        if (env.Command.Length > 0) throw error("env.command", $"is for env.id: process; {env.Id} is an environment of this process");
        EnvSpec spec;
        try { spec = EnvRegistry.Get(env.Id); }
        catch (UnknownEnvironmentException e) { throw error("env.id", e.Message); }
        try { EnvRegistry.ResolveOptions(spec, env.Options); }
        catch (EnvOptionException e) { throw error("env." + e.OptionName, e.Message); }
    }
}
