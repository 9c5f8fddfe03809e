using System.Runtime.InteropServices;
using HerTools.Core.Randomness;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace HerTools.Core.Agents;

/// <summary>
/// A multilayer perceptron whose weights and biases are all views of one flat float32 tensor,
/// <see cref="FlatParameters"/>, and whose gradients are views of another, <see cref="FlatGradients"/>.
/// TorchSharp 0.107 has no <c>_foreach_</c> ops, so a per-parameter Polyak or Adam step pays a native
/// call per tensor; over the flat storage each is one call for the whole network (Polyak: 16 us
/// instead of 60 us an update).
/// </summary>
public sealed class Mlp : Module<Tensor, Tensor>
{
    /// <summary>The activations a config may name.</summary>
    public static readonly IReadOnlyList<string> ActivationNames = ["relu", "tanh", "elu", "leaky_relu", "gelu", "silu"];

    // Made once: a Scalar converted on the fly is freed only by its finalizer (see FlatAdam).
    private static readonly Scalar Zero = 0f;

    private readonly ModuleList<Linear> layers = new();
    private readonly Module<Tensor, Tensor> activation;
    // The storage the layers' parameters are views of. Registered as non-persistent buffers so
    // RegisterComponents leaves them alone and no state_dict carries them twice.
    private readonly Tensor flatParameters;
    private readonly Tensor? flatGradients;

    /// <param name="inputSize">Width of an input row.</param>
    /// <param name="hiddenSizes">Widths of the hidden layers; the activation follows each of them.</param>
    /// <param name="outputSize">Width of the output row; the output layer is linear.</param>
    /// <param name="activation">One of <see cref="ActivationNames"/>.</param>
    /// <param name="initRng">Draws the initial weights, so they depend on this generator only, never on torch's global one;
    /// null leaves them zero (a target network about to be copied from its online network).</param>
    /// <param name="trainable">False for target networks: no gradient storage, parameters never require gradients.</param>
    public Mlp(int inputSize, IReadOnlyList<int> hiddenSizes, int outputSize, string activation, Rng? initRng, bool trainable = true)
        : base(nameof(Mlp))
    {
        int[] widths = [inputSize, .. hiddenSizes, outputSize];
        InputSize = inputSize;
        OutputSize = outputSize;
        LayerShapes = Enumerable.Range(0, widths.Length - 1).Select(i => (widths[i], widths[i + 1])).ToArray();
        ParameterCount = LayerShapes.Sum(s => (long)s.Out * s.In + s.Out);

        // A caller's dispose scope must not take the storage or the views with it.
        using var scope = torch.NewDisposeScope();
        flatParameters = torch.zeros(ParameterCount, dtype: float32).DetachFromDisposeScope();
        if (initRng is not null) flatParameters.bytes = MemoryMarshal.AsBytes(InitialParameters(initRng).AsSpan());
        flatGradients = trainable ? torch.zeros(ParameterCount, dtype: float32).DetachFromDisposeScope() : null;

        long offset = 0;
        foreach (var (input, output) in LayerShapes)
        {
            var weight = View(flatParameters, offset, output, input);
            var bias = View(flatParameters, offset + (long)output * input, output);
            var layer = nn.Linear(new Parameter(weight, trainable), new Parameter(bias, trainable));
            if (flatGradients is not null)
            {
                // Autograd accumulates in place into a gradient that already exists, so backward
                // writes every layer's gradient straight into the flat gradient storage.
                layer.weight.grad = View(flatGradients, offset, output, input);
                layer.bias!.grad = View(flatGradients, offset + (long)output * input, output);
            }
            layers.Add(layer);
            offset += (long)output * input + output;
        }

        this.activation = CreateActivation(activation);
        register_buffer(nameof(flatParameters), flatParameters, persistent: false);
        if (flatGradients is not null) register_buffer(nameof(flatGradients), flatGradients, persistent: false);
        RegisterComponents();
    }

    public int InputSize { get; }
    public int OutputSize { get; }

    /// <summary>(input, output) width of each linear layer, first to last.</summary>
    public IReadOnlyList<(int In, int Out)> LayerShapes { get; }

    /// <summary>Number of weights and biases.</summary>
    public long ParameterCount { get; }

    /// <summary>All weights and biases, layer by layer, each weight row-major [out, in] followed by its bias.</summary>
    public Tensor FlatParameters => flatParameters;

    /// <summary>The gradients, laid out as <see cref="FlatParameters"/>; null for a network built not trainable.</summary>
    public Tensor? FlatGradients => flatGradients;

    public override Tensor forward(Tensor input)
    {
        var x = input;
        for (int i = 0; i < layers.Count - 1; i++) x = activation.forward(layers[i].forward(x));
        return layers[^1].forward(x);
    }

    /// <summary>Sets every gradient to 0: backward accumulates into them.</summary>
    public void ZeroGradients()
    {
        // TorchSharp 0.107's zero_() goes through zeros_out and returns a new wrapper; fill_ works in place.
        if (flatGradients is null) throw new InvalidOperationException("this network was built not trainable: it has no gradients");
        flatGradients.fill_(Zero);
    }

    /// <summary>
    /// Turns gradient recording for this network's parameters on or off. Off while the actor's loss
    /// runs through the critic: backward then skips the critic's weight gradients it would throw away.
    /// </summary>
    public void RequireGradients(bool required)
    {
        foreach (var layer in layers)
        {
            layer.weight.requires_grad_(required);
            layer.bias!.requires_grad_(required);
        }
    }

    // PyTorch's nn.Linear default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)) for weights and biases,
    // drawn from our generator in the flat layout.
    private float[] InitialParameters(Rng rng)
    {
        var values = new float[ParameterCount];
        long i = 0;
        foreach (var (input, output) in LayerShapes)
        {
            double bound = 1.0 / Math.Sqrt(input);
            long count = (long)output * input + output;
            for (long k = 0; k < count; k++) values[i++] = (float)rng.Uniform(-bound, bound);
        }
        return values;
    }

    private static Tensor View(Tensor flat, long offset, params long[] shape) =>
        flat.narrow(0, offset, shape.Aggregate(1L, (a, b) => a * b)).view(shape);

    // ReLU runs in place on the linear layer's fresh output: its backward reads the result, which is
    // the same mask as the input, so gradients are bit-identical, and each forward allocates one
    // activation buffer (256 KB at batch 256, width 256) less per hidden layer. The others stay out of
    // place: ELU's in-place backward takes another formula, GELU has no in-place form.
    private static Module<Tensor, Tensor> CreateActivation(string name) => name switch
    {
        "relu" => nn.ReLU(inplace: true),
        "tanh" => nn.Tanh(),
        "elu" => nn.ELU(),
        "leaky_relu" => nn.LeakyReLU(),
        "gelu" => nn.GELU(),
        "silu" => nn.SiLU(),
        _ => throw new ArgumentException($"activation '{name}' is not one of {string.Join(", ", ActivationNames)}", nameof(name)),
    };

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            layers.Dispose();
            activation.Dispose();
            flatParameters.Dispose();
            flatGradients?.Dispose();
        }
        base.Dispose(disposing);
    }
}
