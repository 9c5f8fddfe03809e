namespace HerTools.Policy;

/// <summary>The hidden-layer activations in float32, element by element, and their config names.</summary>
internal static class Activations
{
    private static readonly (PolicyActivation Activation, string Name)[] Names =
    [
        (PolicyActivation.Relu, "relu"), (PolicyActivation.Tanh, "tanh"), (PolicyActivation.Elu, "elu"),
        (PolicyActivation.LeakyRelu, "leaky_relu"), (PolicyActivation.Gelu, "gelu"), (PolicyActivation.Silu, "silu"),
    ];

    public const float LeakyReluSlope = 0.01f;

    public static string NameOf(PolicyActivation activation) => Names.First(n => n.Activation == activation).Name;

    public static bool TryParse(string name, out PolicyActivation activation)
    {
        foreach (var entry in Names)
            if (entry.Name == name) { activation = entry.Activation; return true; }
        activation = default;
        return false;
    }

    public static void Apply(PolicyActivation activation, Span<float> values)
    {
        switch (activation)
        {
            case PolicyActivation.Relu:
                for (int i = 0; i < values.Length; i++) if (!(values[i] > 0f)) values[i] = 0f;
                break;
            case PolicyActivation.Tanh:
                for (int i = 0; i < values.Length; i++) values[i] = MathF.Tanh(values[i]);
                break;
            case PolicyActivation.Elu:
                for (int i = 0; i < values.Length; i++) if (!(values[i] > 0f)) values[i] = (float)(Math.Exp(values[i]) - 1.0);
                break;
            case PolicyActivation.LeakyRelu:
                for (int i = 0; i < values.Length; i++) if (values[i] < 0f) values[i] *= LeakyReluSlope;
                break;
            case PolicyActivation.Gelu:
                for (int i = 0; i < values.Length; i++) values[i] = (float)(0.5 * values[i] * (1.0 + Erf(values[i] / Math.Sqrt(2.0))));
                break;
            case PolicyActivation.Silu:
                for (int i = 0; i < values.Length; i++) values[i] = (float)(values[i] / (1.0 + Math.Exp(-values[i])));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(activation), activation, "not a known activation");
        }
    }

    // .NET has no erf. Abramowitz & Stegun 7.1.26: absolute error below 1.5e-7, far inside float32 GELU's needs.
    private static double Erf(double x)
    {
        double sign = x < 0 ? -1.0 : 1.0;
        x = Math.Abs(x);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        return sign * (1.0 - poly * Math.Exp(-x * x));
    }
}
