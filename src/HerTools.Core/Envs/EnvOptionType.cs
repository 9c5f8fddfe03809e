namespace HerTools.Core.Envs;

/// <summary>The type of an environment option; the value handed to a factory is a
/// <c>bool</c>, <c>int</c>, <c>double</c> or <c>string</c> respectively.</summary>
public enum EnvOptionType
{
    Bool,
    Int,
    Double,
    String,
}
