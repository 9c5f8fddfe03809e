using HerTools.Core.Agents;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Tests.Agents;

/// <summary>Batches and hand-set network weights shared by the TD3 and SAC update tests.</summary>
internal static class LearnerTestKit
{
    public const int Observation = 2, Goal = 1, ActionWidth = 1;

    // A PointGoal-shaped batch: inputs [x, v, g] in [-1, 1], actions in [-1, 1], rewards -1 or 0.
    public static ReplayBatch RandomBatch(Rng rng, int rows = 32)
    {
        var batch = new ReplayBatch(rows, Observation, Goal, ActionWidth) { Count = rows };
        for (int i = 0; i < batch.Inputs.Length; i++)
        {
            batch.Inputs[i] = (float)rng.Uniform(-1, 1);
            batch.NextInputs[i] = (float)rng.Uniform(-1, 1);
        }
        for (int i = 0; i < rows; i++)
        {
            batch.Actions[i] = (float)rng.Uniform(-1, 1);
            batch.Rewards[i] = rng.NextInt(4) == 0 ? 0f : -1f;
            batch.NotDone[i] = 1f;
        }
        return batch;
    }

    public static float[] Values(Tensor tensor) => tensor.data<float>().ToArray();

    public static void SetParameters(Mlp network, Func<long, float> value)
    {
        var values = new float[network.ParameterCount];
        for (long i = 0; i < values.Length; i++) values[i] = value(i);
        using var noGrad = torch.no_grad();
        using var source = torch.tensor(values);
        network.FlatParameters.copy_(source);
    }

    /// <summary>All weights zero; the output layer's biases as given: the network outputs them whatever its input.</summary>
    public static void SetConstantOutput(Mlp network, params float[] outputs)
    {
        long first = network.ParameterCount - outputs.Length;
        SetParameters(network, i => i >= first ? outputs[i - first] : 0f);
    }

    /// <summary>
    /// A two-hidden-layer ReLU critic that outputs <c>slope * a</c> for the last input column a (the action):
    /// unit 0 carries relu(a), unit 1 relu(-a), both passed through the second layer, and the output is their
    /// difference times the slope.
    /// </summary>
    public static void SetLinearInAction(Mlp critic, float slope)
    {
        var values = new float[critic.ParameterCount];
        var shapes = critic.LayerShapes;
        Assert.Equal(3, shapes.Count);
        long offset = 0;
        int inputs = shapes[0].In;
        values[offset + 0 * inputs + (inputs - 1)] = 1f;    // layer 1, unit 0: +a
        values[offset + 1 * inputs + (inputs - 1)] = -1f;   // layer 1, unit 1: -a
        offset += (long)shapes[0].Out * shapes[0].In + shapes[0].Out;
        int hidden = shapes[1].In;
        values[offset + 0 * hidden + 0] = 1f;               // layer 2 passes units 0 and 1 through
        values[offset + 1 * hidden + 1] = 1f;
        offset += (long)shapes[1].Out * shapes[1].In + shapes[1].Out;
        values[offset + 0] = slope;                         // output: slope * (relu(a) - relu(-a))
        values[offset + 1] = -slope;
        using var noGrad = torch.no_grad();
        using var source = torch.tensor(values);
        critic.FlatParameters.copy_(source);
    }
}
