namespace HerTools.Core.Config;

/// <summary>Checks <c>env.id</c> and the environment's options against the environment registry.</summary>
internal static class EnvOptionsCheck
{
    internal static void Check(EnvConfig env, Func<string, string, ConfigException> error)
    {
        // Filled in once the environment registry lands (issue 5).
    }
}
