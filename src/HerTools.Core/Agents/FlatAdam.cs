using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// Adam over one flat parameter tensor and its flat gradient: the same arithmetic, op for op, as
/// TorchSharp's <c>torch.optim.Adam</c> (no weight decay, no amsgrad), but one native call per
/// op for a whole network instead of one per parameter tensor, and a state (step count and the
/// two moment vectors) that saves and loads bit-exactly.
/// <para>
/// Every scalar operand is a <see cref="Scalar"/> made and disposed here: TorchSharp frees the native
/// scalar a <c>double</c> converts to only in its finalizer, and those small native objects, scattered
/// among freed activation buffers, kept the native heap of a long run from being reused (RSS grew by
/// hundreds of MB before it levelled off).
/// </para>
/// </summary>
internal sealed class FlatAdam : IDisposable
{
    private const double Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    private readonly Tensor _parameters;
    private readonly Tensor _gradients;
    private readonly Tensor _expAvg;
    private readonly Tensor _expAvgSq;
    private readonly Scalar _beta1 = Beta1, _oneMinusBeta1 = 1 - Beta1, _beta2 = Beta2, _oneMinusBeta2 = 1 - Beta2, _epsilon = Epsilon, _one = 1;

    public FlatAdam(Tensor parameters, Tensor gradients, double learningRate)
    {
        _parameters = parameters;
        _gradients = gradients;
        LearningRate = learningRate;
        _expAvg = torch.zeros_like(parameters).DetachFromDisposeScope();
        _expAvgSq = torch.zeros_like(parameters).DetachFromDisposeScope();
    }

    public double LearningRate { get; }

    /// <summary>Steps taken; the bias corrections depend on it, so it is part of the state.</summary>
    public long Steps { get; private set; }

    public void Step()
    {
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Steps++;
        double biasCorrection1 = 1 - Math.Pow(Beta1, Steps);
        double biasCorrection2 = 1 - Math.Pow(Beta2, Steps);
        using Scalar rootOfBiasCorrection2 = Math.Sqrt(biasCorrection2), stepSize = -LearningRate / biasCorrection1;
        _expAvg.mul_(_beta1).add_(_gradients, alpha: _oneMinusBeta1);
        _expAvgSq.mul_(_beta2).addcmul_(_gradients, _gradients, value: _oneMinusBeta2);
        var denominator = _expAvgSq.sqrt().div_(rootOfBiasCorrection2).add_(_epsilon, alpha: _one);
        _parameters.addcdiv_(_expAvg, denominator, value: stepSize);
    }

    public void Save(BinaryWriter writer)
    {
        writer.Write(Steps);
        TensorIo.WriteFloats(writer, _expAvg);
        TensorIo.WriteFloats(writer, _expAvgSq);
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote, refusing moments no run of Adam produces: the second moment is never
    /// negative, and the first is bounded by it. By Cauchy-Schwarz over the two exponential averages of the same
    /// gradients, |m| &lt;= (1 - b1) / sqrt((1 - b2)(1 - b1^2/b2)) sqrt(v) = 7.27 sqrt(v) for b1 = 0.9, b2 = 0.999;
    /// so a step moves a parameter by at most <see cref="MaxStepPerLearningRate"/> times the learning rate.
    /// </summary>
    public void Load(BinaryReader reader, string name = "optimizer")
    {
        Steps = SavedStateException.ReadInt64(reader, $"{name} Adam steps", 0, MaxSteps);
        TensorIo.ReadFloats(reader, _expAvg, $"{name} Adam first moment");
        TensorIo.ReadFloats(reader, _expAvgSq, $"{name} Adam second moment");
        // Checked on the tensors' own storage in managed code: TorchSharp's implicit Scalar temporaries (x * 8 + 1e-20)
        // can be finalised while the native call still uses them, which failed a load under heavy load once with
        // "Unknown scalar type".
        var first = MemoryMarshal.Cast<byte, float>(_expAvg.bytes);
        var second = MemoryMarshal.Cast<byte, float>(_expAvgSq.bytes);
        for (int i = 0; i < second.Length; i++)
        {
            if (!(second[i] >= 0))
                throw new SavedStateException($"{name} Adam second moment", "holds a value below 0");
            // 1e-20 absorbs a squared gradient that underflowed to 0 in float32 while the gradient itself did not.
            if (!(MathF.Abs(first[i]) <= MathF.Sqrt(second[i]) * (float)MaxStepPerLearningRate + 1e-20f))
                throw new SavedStateException($"{name} Adam first moment",
                    $"exceeds {MaxStepPerLearningRate} times the square root of the second moment, which Adam never does");
        }
    }

    /// <summary>Bound of |first moment| / sqrt(second moment), with a margin for float rounding (see <see cref="Load"/>).</summary>
    public const double MaxStepPerLearningRate = 8;

    /// <summary>More steps than any run takes (2^53: the bias corrections stay exact doubles); a larger count would
    /// overflow them into NaN.</summary>
    public const long MaxSteps = 1L << 53;

    public void Dispose()
    {
        _expAvg.Dispose();
        _expAvgSq.Dispose();
        foreach (var scalar in (Scalar[])[_beta1, _oneMinusBeta1, _beta2, _oneMinusBeta2, _epsilon, _one]) scalar.Dispose();
    }
}
