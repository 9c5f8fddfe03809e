using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Tests.Torch;

/// <summary>TorchSharp's native backend loads in the test process (the build patched it) and computes.</summary>
public sealed class TorchSharpLoadTests
{
    [Fact]
    public void A_matmul_of_two_small_matrices_gives_the_hand_computed_product()
    {
        using var scope = NewDisposeScope();
        Tensor left = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Tensor right = tensor(new float[] { 5, 6, 7, 8 }, [2, 2]);

        float[] product = matmul(left, right).data<float>().ToArray();

        // [[1*5+2*7, 1*6+2*8], [3*5+4*7, 3*6+4*8]]
        Assert.Equal([19f, 22f, 43f, 50f], product);
    }

    [Fact]
    public void One_Adam_step_on_a_small_linear_layer_moves_each_parameter_by_the_learning_rate_and_lowers_the_loss()
    {
        using var scope = NewDisposeScope();
        var layer = nn.Linear(2, 1);
        using (no_grad())
        {
            layer.weight!.copy_(tensor(new float[] { 0.5f, -0.5f }, [1, 2]));
            layer.bias!.zero_();
        }
        Tensor inputs = tensor(new float[] { 1, 2, 3, 4 }, [2, 2]);
        Tensor targets = tensor(new float[] { 1, 2 }, [2, 1]);
        var optimizer = optim.Adam(layer.parameters(), lr: 0.1);

        // predictions [-0.5, -0.5], errors [-1.5, -2.5]: loss (2.25 + 6.25) / 2 = 4.25;
        // every gradient is negative (dW = [-9, -13], db = -4).
        Tensor lossBefore = nn.functional.mse_loss(layer.forward(inputs), targets);
        optimizer.zero_grad();
        lossBefore.backward();
        optimizer.step();
        Tensor lossAfter = nn.functional.mse_loss(layer.forward(inputs), targets);

        // Adam's first step is lr * m̂ / (sqrt(v̂) + eps) = lr * sign(gradient): +0.1 for each parameter.
        Assert.Equal(4.25f, lossBefore.item<float>(), 1e-5f);
        float[] weight = layer.weight!.data<float>().ToArray();
        Assert.Equal(0.6f, weight[0], 1e-5f);
        Assert.Equal(-0.4f, weight[1], 1e-5f);
        Assert.Equal(0.1f, layer.bias!.item<float>(), 1e-5f);
        // predictions [-0.1, 0.3], errors [-1.1, -1.7]: loss (1.21 + 2.89) / 2 = 2.05.
        Assert.Equal(2.05f, lossAfter.item<float>(), 1e-5f);
    }
}
