namespace HerTools.Core.Envs;

/// <summary>
/// Marks an <see cref="IGoalEnv"/> class for <see cref="EnvRegistry.RegisterFromAssembly"/>.
/// The options are the parameters of the class's public constructor with the most parameters:
/// the parameter name in snake_case (<c>nBits</c> becomes <c>n_bits</c>), its type (<c>bool</c>,
/// <c>int</c>, <c>double</c>, <c>float</c> or <c>string</c>), its default value (a parameter without
/// one is a required option), <see cref="System.ComponentModel.DescriptionAttribute"/> for the
/// description and <see cref="System.ComponentModel.DataAnnotations.RangeAttribute"/> for bounds.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class GoalEnvironmentAttribute(string id) : Attribute
{
    /// <summary>The registry id, e.g. <c>MyEnv-v0</c>.</summary>
    public string Id { get; } = id;

    /// <summary>One line for listings; when empty, the class's <c>[Description]</c> is used.</summary>
    public string Description { get; set; } = "";

    /// <summary>The time limit with default options. When 0 the registry makes one instance with default
    /// options at registration and reads its <see cref="IGoalEnv.MaxEpisodeSteps"/>.</summary>
    public int MaxEpisodeSteps { get; set; }
}
