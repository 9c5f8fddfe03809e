namespace HerTools.Policy;

/// <summary>The config names of <see cref="PolicyActivation"/> values (<c>relu</c>, <c>tanh</c>, <c>elu</c>, <c>leaky_relu</c>, <c>gelu</c>,
/// <c>silu</c>).</summary>
public static class PolicyActivationNames
{
    /// <summary>The activation a config name stands for; an unknown name throws <see cref="PolicyFormatException"/>.</summary>
    public static PolicyActivation Parse(string name) =>
        Activations.TryParse(name, out var activation) ? activation : throw new PolicyFormatException($"activation '{name}' is not one this library computes");

    /// <summary>The config name of <paramref name="activation"/>.</summary>
    public static string NameOf(PolicyActivation activation) => Activations.NameOf(activation);
}
