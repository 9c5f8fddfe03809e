namespace HerTools.Policy;

/// <summary>The activation between hidden layers of an exported policy; the names are HerTools' config values.</summary>
public enum PolicyActivation
{
    /// <summary><c>relu</c>: max(0, x).</summary>
    Relu,
    /// <summary><c>tanh</c>.</summary>
    Tanh,
    /// <summary><c>elu</c> with alpha 1: x above 0, exp(x) - 1 below.</summary>
    Elu,
    /// <summary><c>leaky_relu</c> with slope 0.01 below 0 (PyTorch's default).</summary>
    LeakyRelu,
    /// <summary><c>gelu</c>, the exact form 0.5 x (1 + erf(x / sqrt 2)).</summary>
    Gelu,
    /// <summary><c>silu</c>: x sigmoid(x).</summary>
    Silu,
}
