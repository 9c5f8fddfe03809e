using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace HerTools.Policy;

/// <summary>
/// Computes a <see cref="PolicyModel"/>'s deterministic actions in plain C# (no TorchSharp, no native code):
/// input row, normalisation, the perceptron and the action scaling, for one observation or many at once.
/// <para>
/// Every row goes through exactly the same float operations in the same order whether it is acted on alone or
/// within a batch, so batched and one-at-a-time acting give bit-identical actions. Not thread-safe: an instance
/// reuses its scratch buffers; give each thread its own <see cref="GoalPolicy"/> over the same model.
/// </para>
/// </summary>
public sealed class GoalPolicy
{
    // Rows computed together: each weight row is read once for all of them while it is in the cache.
    private const int BlockRows = 32;

    private readonly float[] _rows;
    private readonly float[] _current;
    private readonly float[] _next;
    private readonly int _maxWidth;

    public GoalPolicy(PolicyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        _maxWidth = Math.Max(model.InputSize, Math.Max(model.ActionSize, model.HiddenSizes.Max()));
        _rows = new float[BlockRows * model.InputSize];
        _current = new float[BlockRows * _maxWidth];
        _next = new float[BlockRows * _maxWidth];
    }

    /// <summary>Loads a policy file written by <c>her-tools export</c> (<see cref="PolicyFile"/>).</summary>
    public static GoalPolicy Load(string path) => new(PolicyFile.Read(path));

    /// <summary>Loads a policy from a stream holding a policy file.</summary>
    public static GoalPolicy Load(Stream stream) => new(PolicyFile.Read(stream));

    public PolicyModel Model { get; }
    public int ObservationSize => Model.ObservationSize;
    public int GoalSize => Model.GoalSize;
    public int ActionSize => Model.ActionSize;

    /// <summary>The action for one dict observation, written into <paramref name="action"/> (within the action bounds).</summary>
    public void Act(ReadOnlySpan<float> observation, ReadOnlySpan<float> achievedGoal, ReadOnlySpan<float> desiredGoal, Span<float> action) =>
        Act(1, observation, achievedGoal, desiredGoal, action);

    /// <summary>The action for one dict observation, as a new array (for callers that cannot pass spans, such as PowerShell).</summary>
    public float[] Act(float[] observation, float[] achievedGoal, float[] desiredGoal)
    {
        var action = new float[ActionSize];
        Act(1, observation, achievedGoal, desiredGoal, action);
        return action;
    }

    /// <summary>
    /// The actions for <paramref name="count"/> dict observations given as consecutive rows (observations of
    /// <see cref="ObservationSize"/> values, goals of <see cref="GoalSize"/>), written as consecutive rows of <see cref="ActionSize"/>.
    /// </summary>
    public void Act(int count, ReadOnlySpan<float> observations, ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, Span<float> actions)
    {
        int o = ObservationSize, g = GoalSize, inputSize = Model.InputSize;
        CheckLength(nameof(observations), observations.Length, count, o);
        CheckLength(nameof(achievedGoals), achievedGoals.Length, count, g);
        CheckLength(nameof(desiredGoals), desiredGoals.Length, count, g);
        CheckLength(nameof(actions), actions.Length, count, ActionSize);
        for (int start = 0; start < count; start += BlockRows)
        {
            int n = Math.Min(BlockRows, count - start);
            for (int r = 0; r < n; r++)
            {
                var row = _rows.AsSpan(r * inputSize, inputSize);
                observations.Slice((start + r) * o, o).CopyTo(row);
                var goal = row.Slice(o, g);
                desiredGoals.Slice((start + r) * g, g).CopyTo(goal);
                if (Model.RelativeGoals)
                {
                    var achieved = achievedGoals.Slice((start + r) * g, g);
                    for (int i = 0; i < g; i++) goal[i] -= achieved[i];
                }
            }
            Forward(n, _rows, actions.Slice(start * ActionSize, n * ActionSize));
        }
    }

    /// <summary>
    /// The actions for <paramref name="count"/> input rows already laid out as the network sees them before
    /// normalisation (<c>observation ++ goal</c>, the goal part relative if <see cref="PolicyModel.RelativeGoals"/>).
    /// </summary>
    public void ActOnInputRows(int count, ReadOnlySpan<float> inputRows, Span<float> actions)
    {
        int inputSize = Model.InputSize;
        CheckLength(nameof(inputRows), inputRows.Length, count, inputSize);
        CheckLength(nameof(actions), actions.Length, count, ActionSize);
        for (int start = 0; start < count; start += BlockRows)
        {
            int n = Math.Min(BlockRows, count - start);
            Forward(n, inputRows.Slice(start * inputSize, n * inputSize), actions.Slice(start * ActionSize, n * ActionSize));
        }
    }

    private void Forward(int rows, ReadOnlySpan<float> inputs, Span<float> actions)
    {
        var model = Model;
        int inputSize = model.InputSize;
        Normalize(rows, inputs, _current.AsSpan(0, rows * inputSize));

        var current = _current;
        var next = _next;
        var parameters = model.Parameters.AsSpan();
        int offset = 0;
        var shapes = model.LayerShapes;
        for (int layer = 0; layer < shapes.Count; layer++)
        {
            var (width, outputs) = shapes[layer];
            var weights = parameters.Slice(offset, outputs * width);
            var biases = parameters.Slice(offset + outputs * width, outputs);
            for (int unit = 0; unit < outputs; unit++)
            {
                var weightRow = weights.Slice(unit * width, width);
                float bias = biases[unit];
                for (int r = 0; r < rows; r++)
                    next[r * outputs + unit] = Dot(weightRow, current.AsSpan(r * width, width)) + bias;
            }
            if (layer < shapes.Count - 1) Activations.Apply(model.Activation, next.AsSpan(0, rows * outputs));
            offset += outputs * width + outputs;
            (current, next) = (next, current);
        }

        int a = model.ActionSize;
        for (int r = 0; r < rows; r++)
            for (int i = 0; i < a; i++)
                actions[r * a + i] = model.ActionCenter[i] + model.ActionHalfRange[i] * MathF.Tanh(current[r * a + i]);
    }

    private void Normalize(int rows, ReadOnlySpan<float> inputs, Span<float> destination)
    {
        var normalization = Model.Normalization;
        if (normalization is null) { inputs.Slice(0, destination.Length).CopyTo(destination); return; }
        int o = ObservationSize, g = GoalSize, width = Model.InputSize;
        float clip = normalization.ClipRange;
        for (int r = 0; r < rows; r++)
        {
            int start = r * width;
            for (int i = 0; i < o; i++)
                destination[start + i] = Math.Clamp((inputs[start + i] - normalization.ObservationMean[i]) / normalization.ObservationStd[i], -clip, clip);
            for (int i = 0; i < g; i++)
                destination[start + o + i] = Math.Clamp((inputs[start + o + i] - normalization.GoalMean[i]) / normalization.GoalStd[i], -clip, clip);
        }
    }

    // One fixed order of float operations for a given length: vector lanes accumulate separately and are then
    // summed lane by lane, then the tail; no fused multiply-add, so the JIT tier cannot change the result.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length, i = 0;
        float sum = 0f;
        if (Vector.IsHardwareAccelerated && n >= Vector<float>.Count)
        {
            ref float ra = ref MemoryMarshal.GetReference(a);
            ref float rb = ref MemoryMarshal.GetReference(b);
            var acc = Vector<float>.Zero;
            for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
                acc += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
            for (int lane = 0; lane < Vector<float>.Count; lane++) sum += acc[lane];
        }
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }

    private static void CheckLength(string name, int length, int count, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (length != (long)count * width) throw new ArgumentException($"{name} must hold {count} rows of {width} values ({(long)count * width}), got " +
            $"{length}", name);
    }
}
