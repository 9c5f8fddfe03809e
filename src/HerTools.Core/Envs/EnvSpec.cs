namespace HerTools.Core.Envs;

/// <summary>
/// A registered environment: its id, a one-line description, its keyword options, its time limit with
/// default options, and the factory <see cref="EnvRegistry.Make"/> calls with every option resolved
/// (converted to its type, defaults filled in).
/// </summary>
public sealed record EnvSpec(
    string Id,
    string Description,
    IReadOnlyList<EnvOption> Options,
    int DefaultMaxEpisodeSteps,
    Func<IReadOnlyDictionary<string, object>, IGoalEnv> Create)
{
    /// <summary>The option called <paramref name="name"/>, or null.</summary>
    public EnvOption? FindOption(string name)
    {
        foreach (var option in Options) if (option.Name == name) return option;
        return null;
    }
}
