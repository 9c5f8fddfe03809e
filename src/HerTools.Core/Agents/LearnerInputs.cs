using System.Runtime.InteropServices;
using HerTools.Core.Replay;
using HerTools.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// What every actor-critic learner (<see cref="Ddpg"/>, <see cref="Td3"/>, <see cref="Sac"/>) does with its inputs
/// before the networks see them: running-mean/std normalisation (the observation and the goal parts kept apart),
/// the map between environment action bounds and the networks' unit space [-1, 1], and the batch staging: rows
/// normalised on the CPU into reused arrays, each array copied into a preallocated tensor with one <c>bytes</c> write.
/// </summary>
internal sealed class LearnerInputs : IDisposable
{
    private readonly float[] _actionCenter, _actionHalfRange;
    private readonly float _gamma;
    private readonly bool _normalize;
    private readonly int _noiseWidth;
    // Act's one input row, on the CPU and as a tensor, reused by every call.
    private readonly float[] _actRow;
    private readonly Tensor _actInput;
    private StagedBatch? _batch;

    /// <param name="options">Gamma and the normalisation settings are read from it.</param>
    /// <param name="observationSize">Width of the observation part of an input row.</param>
    /// <param name="goalSize">Width of the desired-goal part that follows it.</param>
    /// <param name="actionSize">Width of an action.</param>
    /// <param name="actionLow">Lower action bounds, finite.</param>
    /// <param name="actionHigh">Upper action bounds, finite and above the lower ones.</param>
    /// <param name="noiseWidth">Standard-normal draws a learner needs per batch row (TD3's target smoothing, SAC's
    /// reparameterisation); they are staged with the batch. 0 for none.</param>
    public LearnerInputs(LearnerOptions options, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh, int noiseWidth = 0)
    {
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must be positive");
        if (goalSize < 1) throw new ArgumentOutOfRangeException(nameof(goalSize), goalSize, "must be positive");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, "must be positive");
        if (actionLow.Length != actionSize || actionHigh.Length != actionSize)
            throw new ArgumentException($"action bounds must have {actionSize} values, got {actionLow.Length} and {actionHigh.Length}");
        for (int i = 0; i < actionSize; i++)
            if (!(float.IsFinite(actionLow[i]) && float.IsFinite(actionHigh[i]) && actionLow[i] < actionHigh[i]))
                throw new ArgumentException($"action bound {i} must be finite with low < high, got [{actionLow[i]}, {actionHigh[i]}]");

        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        _actionCenter = new float[actionSize];
        _actionHalfRange = new float[actionSize];
        for (int i = 0; i < actionSize; i++)
        {
            _actionCenter[i] = (actionLow[i] + actionHigh[i]) / 2;
            _actionHalfRange[i] = (actionHigh[i] - actionLow[i]) / 2;
        }
        _gamma = (float)options.Gamma;
        _normalize = options.Normalize;
        _noiseWidth = noiseWidth;
        ObservationNormalizer = new Normalizer(observationSize, options.NormalizerClipRange, options.NormalizerEpsilon);
        GoalNormalizer = new Normalizer(goalSize, options.NormalizerClipRange, options.NormalizerEpsilon);
        _actRow = new float[InputSize];
        using var scope = torch.NewDisposeScope();
        _actInput = torch.zeros(1, InputSize, dtype: float32).DetachFromDisposeScope();
    }

    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    public int InputSize => ObservationSize + GoalSize;
    public Normalizer ObservationNormalizer { get; }
    public Normalizer GoalNormalizer { get; }

    /// <summary>The one input row as a [1, input] tensor, normalised; valid until the next call.</summary>
    public Tensor ActInput(ReadOnlySpan<float> input)
    {
        if (input.Length != InputSize) throw new ArgumentException($"input row must have {InputSize} values, got {input.Length}", nameof(input));
        NormalizeInputs(input, _actRow);
        _actInput.bytes = MemoryMarshal.AsBytes(_actRow.AsSpan());
        return _actInput;
    }

    /// <summary>Maps a [1, action] tensor of unit-space actions onto the environment's bounds.</summary>
    public void ToBounds(Tensor unitAction, Span<float> action)
    {
        if (action.Length != ActionSize) throw new ArgumentException($"action must have {ActionSize} values, got {action.Length}", nameof(action));
        var values = MemoryMarshal.Cast<byte, float>(unitAction.bytes);
        for (int i = 0; i < ActionSize; i++) action[i] = _actionCenter[i] + _actionHalfRange[i] * values[i];
    }

    /// <summary>Feeds the normalisers with the batch's input rows (observations, and desired goals as sampled). Nothing when normalisation is off.</summary>
    public void UpdateNormalizers(ReplayBatch batch)
    {
        if (!_normalize) return;
        CheckBatchShape(batch);
        var rows = batch.Inputs.AsSpan(0, batch.Count * InputSize);
        ObservationNormalizer.Update(rows, InputSize, 0);
        GoalNormalizer.Update(rows, InputSize, ObservationSize);
    }

    /// <summary>
    /// Normalises and lays out the batch on the CPU, fills the noise rows from <paramref name="noiseRng"/> (standard
    /// normal), then copies each array into its tensor in one write. The tensors are reused by the next call.
    /// </summary>
    public StagedBatch Stage(ReplayBatch batch, Randomness.Rng? noiseRng = null)
    {
        CheckBatchShape(batch);
        int rows = batch.Count;
        if (_batch is null || _batch.Rows != rows)
        {
            _batch?.Dispose();
            _batch = new StagedBatch(rows, InputSize, ActionSize, _noiseWidth);
        }
        var b = _batch;
        NormalizeInputs(batch.Inputs.AsSpan(0, rows * InputSize), b.InputsData);
        NormalizeInputs(batch.NextInputs.AsSpan(0, rows * InputSize), b.NextInputsData);
        int criticWidth = InputSize + ActionSize;
        for (int r = 0; r < rows; r++)
        {
            b.InputsData.AsSpan(r * InputSize, InputSize).CopyTo(b.InputsAndActionsData.AsSpan(r * criticWidth, InputSize));
            for (int i = 0; i < ActionSize; i++)
                b.InputsAndActionsData[r * criticWidth + InputSize + i] = (batch.Actions[r * ActionSize + i] - _actionCenter[i]) / _actionHalfRange[i];
            b.RewardsData[r] = batch.Rewards[r];
            b.DiscountsData[r] = _gamma * batch.NotDone[r];
        }
        if (_noiseWidth > 0)
        {
            if (noiseRng is null) throw new ArgumentNullException(nameof(noiseRng), "this learner stages noise with its batches");
            for (int i = 0; i < b.NoiseData.Length; i++) b.NoiseData[i] = (float)noiseRng.NextNormal();
        }
        b.Upload();
        return b;
    }

    public void WriteState(BinaryWriter writer)
    {
        ObservationNormalizer.WriteState(writer);
        GoalNormalizer.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        ObservationNormalizer.ReadState(reader, "observation normalizer");
        GoalNormalizer.ReadState(reader, "goal normalizer");
    }

    /// <summary>
    /// <paramref name="actor"/> as a <see cref="PolicyModel"/> with this learner's normalisation and action scaling: its
    /// first <see cref="ActionSize"/> outputs, through tanh, are the deterministic action (for SAC, whose output row is
    /// <c>mean ++ log_std</c>, the mean half: the policy's mode). Every array is a copy.
    /// </summary>
    public PolicyModel ExportActor(Mlp actor, int[] hiddenSizes, string activation, bool relativeGoals, string algorithm, string environmentId)
    {
        var normalization = _normalize
            ? new InputNormalization([.. ObservationNormalizer.Mean], [.. ObservationNormalizer.Std], [.. GoalNormalizer.Mean], [.. GoalNormalizer.Std],
                ObservationNormalizer.ClipRange)
            : null;
        var (lastIn, lastOut) = actor.LayerShapes[^1];
        var parameters = new float[actor.ParameterCount - (long)(lastOut - ActionSize) * (lastIn + 1)];
        CopyActionOutputs(actor, parameters);
        return new PolicyModel(ObservationSize, GoalSize, ActionSize, hiddenSizes, PolicyActivationNames.Parse(activation),
            parameters, [.. _actionCenter], [.. _actionHalfRange], relativeGoals, normalization, algorithm, environmentId);
    }

    /// <summary>Copies <paramref name="actor"/>'s current weights and the normalisers' statistics into <paramref name="model"/>,
    /// made by <see cref="ExportActor"/>.</summary>
    public void CopyActorTo(Mlp actor, PolicyModel model)
    {
        CopyActionOutputs(actor, model.Parameters);
        if (model.Normalization is not { } n) return;
        for (int i = 0; i < ObservationSize; i++) { n.ObservationMean[i] = ObservationNormalizer.Mean[i]; n.ObservationStd[i] = ObservationNormalizer.Std[i]; }
        for (int i = 0; i < GoalSize; i++) { n.GoalMean[i] = GoalNormalizer.Mean[i]; n.GoalStd[i] = GoalNormalizer.Std[i]; }
    }

    // Every layer but the last whole; of the last (weights row-major [out, in], then biases) the first ActionSize rows and biases.
    private void CopyActionOutputs(Mlp actor, Span<float> destination)
    {
        var all = MemoryMarshal.Cast<byte, float>(actor.FlatParameters.bytes);
        var (lastIn, lastOut) = actor.LayerShapes[^1];
        int lastStart = all.Length - (lastOut * lastIn + lastOut);
        all[..lastStart].CopyTo(destination);
        all.Slice(lastStart, ActionSize * lastIn).CopyTo(destination[lastStart..]);
        all.Slice(lastStart + lastOut * lastIn, ActionSize).CopyTo(destination[(lastStart + ActionSize * lastIn)..]);
    }

    private void NormalizeInputs(ReadOnlySpan<float> rows, Span<float> destination)
    {
        if (!_normalize) { rows.CopyTo(destination); return; }
        ObservationNormalizer.Normalize(rows, destination, InputSize, 0);
        GoalNormalizer.Normalize(rows, destination, InputSize, ObservationSize);
    }

    private void CheckBatchShape(ReplayBatch batch)
    {
        if (batch.ObservationSize != ObservationSize || batch.GoalSize != GoalSize || batch.ActionSize != ActionSize)
            throw new ArgumentException($"batch has observation {batch.ObservationSize}, goal {batch.GoalSize}, action {batch.ActionSize}; "
                + $"the learner expects {ObservationSize}, {GoalSize}, {ActionSize}", nameof(batch));
        if (batch.Count < 1 || batch.Count > batch.Capacity)
            throw new ArgumentException($"batch count {batch.Count} is outside [1, {batch.Capacity}]", nameof(batch));
    }

    public void Dispose()
    {
        _batch?.Dispose();
        _actInput.Dispose();
    }

    /// <summary>A batch on the CPU and as tensors of the same layout, allocated once per row count.</summary>
    internal sealed class StagedBatch : IDisposable
    {
        public StagedBatch(int rows, int inputSize, int actionSize, int noiseWidth)
        {
            Rows = rows;
            InputsData = new float[rows * inputSize];
            NextInputsData = new float[rows * inputSize];
            InputsAndActionsData = new float[rows * (inputSize + actionSize)];
            RewardsData = new float[rows];
            DiscountsData = new float[rows];
            NoiseData = new float[rows * noiseWidth];
            Inputs = torch.empty(rows, inputSize, dtype: float32).DetachFromDisposeScope();
            NextInputs = torch.empty(rows, inputSize, dtype: float32).DetachFromDisposeScope();
            InputsAndActions = torch.empty(rows, inputSize + actionSize, dtype: float32).DetachFromDisposeScope();
            Rewards = torch.empty(rows, 1, dtype: float32).DetachFromDisposeScope();
            Discounts = torch.empty(rows, 1, dtype: float32).DetachFromDisposeScope();
            Noise = noiseWidth > 0 ? torch.empty(rows, noiseWidth, dtype: float32).DetachFromDisposeScope() : null;
        }

        public int Rows { get; }
        public float[] InputsData { get; }
        public float[] NextInputsData { get; }
        /// <summary>Normalised input ++ unit-space action: the critic's input for the batch's own actions.</summary>
        public float[] InputsAndActionsData { get; }
        public float[] RewardsData { get; }
        /// <summary>gamma * (1 - terminated) per row.</summary>
        public float[] DiscountsData { get; }
        public float[] NoiseData { get; }
        public Tensor Inputs { get; }
        public Tensor NextInputs { get; }
        public Tensor InputsAndActions { get; }
        public Tensor Rewards { get; }
        public Tensor Discounts { get; }
        /// <summary>Standard-normal draws, [rows, noise width]; null when the learner asked for none.</summary>
        public Tensor? Noise { get; }

        public void Upload()
        {
            Inputs.bytes = MemoryMarshal.AsBytes(InputsData.AsSpan());
            NextInputs.bytes = MemoryMarshal.AsBytes(NextInputsData.AsSpan());
            InputsAndActions.bytes = MemoryMarshal.AsBytes(InputsAndActionsData.AsSpan());
            Rewards.bytes = MemoryMarshal.AsBytes(RewardsData.AsSpan());
            Discounts.bytes = MemoryMarshal.AsBytes(DiscountsData.AsSpan());
            if (Noise is not null) Noise.bytes = MemoryMarshal.AsBytes(NoiseData.AsSpan());
        }

        public void Dispose()
        {
            Inputs.Dispose(); NextInputs.Dispose(); InputsAndActions.Dispose(); Rewards.Dispose(); Discounts.Dispose(); Noise?.Dispose();
        }
    }
}
