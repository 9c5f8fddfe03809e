using HerTools.Core.Agents;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Tests.Agents;

public class FlatAdamTests
{
    [Fact]
    public void Steps_equal_torch_optim_Adam_bit_for_bit()
    {
        torch.set_num_threads(1);
        using var start = torch.linspace(-1, 1, 50, dtype: float32);
        using var flat = start.clone();
        using var flatGradients = torch.zeros(50, dtype: float32);
        using var adam = new FlatAdam(flat, flatGradients, learningRate: 0.01);
        using var reference = new TorchSharp.Modules.Parameter(start.clone());
        using var referenceAdam = torch.optim.Adam([reference], lr: 0.01);

        for (int step = 1; step <= 3; step++)
        {
            using var gradient = torch.sin(start * step * 3.7f);   // a different gradient each step
            flatGradients.copy_(gradient);
            adam.Step();
            reference.grad = gradient.clone();
            referenceAdam.step();
        }

        Assert.Equal(3, adam.Steps);
        Assert.Equal(reference.detach().data<float>().ToArray(), flat.data<float>().ToArray());
        Assert.NotEqual(start.data<float>().ToArray(), flat.data<float>().ToArray());
    }

    [Fact]
    public void Saved_state_resumes_the_same_steps()
    {
        using var flat = torch.linspace(-1, 1, 20, dtype: float32);
        using var gradients = torch.cos(flat * 2);
        using var adam = new FlatAdam(flat, gradients, learningRate: 0.01);
        adam.Step();
        adam.Step();
        using var stream = new MemoryStream();
        adam.Save(new BinaryWriter(stream));
        using var copy = flat.clone();
        adam.Step();

        stream.Position = 0;
        using var restored = new FlatAdam(copy, gradients, learningRate: 0.01);
        restored.Load(new BinaryReader(stream));
        restored.Step();

        Assert.Equal(3, restored.Steps);
        Assert.Equal(flat.data<float>().ToArray(), copy.data<float>().ToArray());
    }
}
