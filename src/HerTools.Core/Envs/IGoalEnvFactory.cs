namespace HerTools.Core.Envs;

/// <summary>
/// An alternative to <see cref="GoalEnvironmentAttribute"/> for environments whose options do not map onto
/// one constructor: a public class with a public parameterless constructor implementing this interface is
/// found by <see cref="EnvRegistry.RegisterFromAssembly"/>.
/// </summary>
public interface IGoalEnvFactory
{
    string Id { get; }
    string Description { get; }
    IReadOnlyList<EnvOption> Options { get; }
    /// <summary>The time limit with default options.</summary>
    int DefaultMaxEpisodeSteps { get; }

    /// <summary>Makes an environment. <paramref name="options"/> holds every declared option, already
    /// converted to its type (<c>bool</c>, <c>int</c>, <c>double</c>, <c>string</c>) and checked against its range.</summary>
    IGoalEnv Create(IReadOnlyDictionary<string, object> options);
}
