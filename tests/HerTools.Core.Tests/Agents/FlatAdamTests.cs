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

    // Saved state of 4 parameters: steps, first moment, second moment (each length-prefixed float32).
    private static MemoryStream State(float[] first, float[] second)
    {
        var stream = new MemoryStream();
        var writer = new BinaryWriter(stream);
        writer.Write(5L);
        writer.Write((long)first.Length);
        foreach (float f in first) writer.Write(f);
        writer.Write((long)second.Length);
        foreach (float f in second) writer.Write(f);
        stream.Position = 0;
        return stream;
    }

    [Theory]
    [InlineData(new[] { 0.1f, 0.2f, 0f, -0.3f }, new[] { 0.01f, 0.04f, 0f, 0.09f }, null)]
    [InlineData(new[] { 0.1f, 0.2f, 0f, -0.3f }, new[] { 0.01f, -0.04f, 0f, 0.09f }, "optimizer Adam second moment")]
    [InlineData(new[] { 0.1f, 0.2f, 0.001f, -0.3f }, new[] { 0.01f, 0.04f, 0f, 0.09f }, "optimizer Adam first moment")]
    [InlineData(new[] { 0.1f, 0.2f, 0f, -0.73f }, new[] { 0.01f, 0.04f, 0f, 0.0081f }, "optimizer Adam first moment")]
    public void Load_refuses_moments_no_run_of_Adam_produces(float[] first, float[] second, string? refused)
    {
        using var flat = torch.zeros(4, dtype: float32);
        using var gradients = torch.zeros(4, dtype: float32);
        using var adam = new FlatAdam(flat, gradients, learningRate: 0.01);

        var load = () => adam.Load(new BinaryReader(State(first, second)));

        if (refused is null)
        {
            load();
            Assert.Equal(5, adam.Steps);
            return;
        }
        var e = Assert.Throws<SavedStateException>(load);
        Assert.Contains(refused, e.Message);
    }
}
