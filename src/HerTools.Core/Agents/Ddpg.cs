using System.Runtime.InteropServices;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// DDPG (Lillicrap et al. 2016) with the HER paper's recipe: an actor over <c>observation ++ goal</c>
/// with a tanh output scaled to the action bounds, a critic over the same input plus the action,
/// Polyak-averaged target copies, one Adam per network, running-mean/std input normalisation (the
/// observation and the goal parts kept apart), clipped critic targets and an L2 penalty on the
/// actor's pre-scaling actions.
/// <para>
/// The critic sees actions in the actor's unit space [-1, 1] (batch actions are mapped there from
/// the bounds), as in the HER paper's implementation, so its input scale does not depend on the environment.
/// </para>
/// <para>
/// Threads: TorchSharp's <c>torch.set_num_threads</c> sets OpenMP's and MKL's per-OS-thread counts
/// and a process-wide default that a thread picks up at its first parallel op. Measured with
/// TorchSharp 0.107 (libtorch 2.10): a thread that set its own count kept it after another thread
/// set a different one, but a thread that never set one got the latest value set anywhere, and
/// once the process's main thread reported the other thread's count. So runs in one process are
/// isolated only if each re-applies its count on the thread it runs on: this learner does so
/// (when <see cref="DdpgOptions.Threads"/> is positive) at the start of every <see cref="Act"/>,
/// <see cref="Update"/> and <see cref="UpdateTargets"/>, for one cheap native query when nothing changed.
/// </para>
/// <para>
/// Hot path: batches are normalised on the CPU into reused arrays and copied into preallocated
/// tensors with one <c>bytes</c> write each; every op runs inside a dispose scope; parameters,
/// gradients and Adam moments are single flat tensors per network (see <see cref="Mlp"/>), so
/// Polyak averaging is one <c>lerp_</c> per network. Nothing allocated per call outlives the call.
/// The first learner of a process also tells the C allocator to keep freed memory for reuse
/// (<see cref="NativeHeap"/>): otherwise the update's activation buffers are unmapped and faulted
/// in again every update, which cost about 10% of an update on two threads.
/// </para>
/// </summary>
public sealed class Ddpg : IDisposable
{
    private const string StateHeader = "HerTools.Ddpg";
    private const int StateVersion = 1;

    private readonly Mlp _actor, _critic, _actorTarget, _criticTarget;
    private readonly FlatAdam _actorOptimizer, _criticOptimizer;
    private readonly float[] _actionCenter, _actionHalfRange;
    private readonly float _gamma, _actionL2, _minReturn;
    private readonly bool _clipReturn, _normalize;
    private int _threads;
    private readonly int[] _hiddenSizes;   // a copy: the caller's options array may change later
    private readonly Tensor _tau;
    // Scalar operands made once: TorchSharp frees a Scalar converted from a number only in its
    // finalizer, and such leftovers fragment the native heap (see FlatAdam).
    private readonly Scalar _one = 1, _zero = 0f, _minReturnScalar, _actionL2Scalar;
    // Act's one input row, on the CPU and as a tensor, reused by every call.
    private readonly float[] _actRow;
    private readonly Tensor _actInput;
    // Update's staging, sized for the batch's row count and rebuilt only when that changes.
    private BatchTensors? _batch;
    private bool _disposed;

    /// <param name="options">Networks and update settings; validated here.</param>
    /// <param name="observationSize">Width of the observation part of an input row.</param>
    /// <param name="goalSize">Width of the desired-goal part that follows it.</param>
    /// <param name="actionSize">Width of an action.</param>
    /// <param name="actionLow">Lower action bounds, finite.</param>
    /// <param name="actionHigh">Upper action bounds, finite and above the lower ones.</param>
    public Ddpg(DdpgOptions options, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
    {
        options.Validate();
        if (observationSize < 1) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must be positive");
        if (goalSize < 1) throw new ArgumentOutOfRangeException(nameof(goalSize), goalSize, "must be positive");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, "must be positive");
        if (actionLow.Length != actionSize || actionHigh.Length != actionSize)
            throw new ArgumentException($"action bounds must have {actionSize} values, got {actionLow.Length} and {actionHigh.Length}");
        for (int i = 0; i < actionSize; i++)
            if (!(float.IsFinite(actionLow[i]) && float.IsFinite(actionHigh[i]) && actionLow[i] < actionHigh[i]))
                throw new ArgumentException($"action bound {i} must be finite with low < high, got [{actionLow[i]}, {actionHigh[i]}]");

        Options = options;
        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        _actionCenter = new float[actionSize];
        _actionHalfRange = new float[actionSize];
        for (int i = 0; i < actionSize; i++)
        {
            _actionCenter[i] = (actionLow[i] + actionHigh[i]) / 2;
            _actionHalfRange[i] = (actionHigh[i] - actionLow[i]) / 2;
        }
        _gamma = (float)options.Gamma;
        _actionL2 = (float)options.ActionL2;
        _clipReturn = options.ClipReturn;
        _minReturn = (float)(-1.0 / (1.0 - options.Gamma));
        _normalize = options.Normalize;
        _threads = options.Threads;
        _hiddenSizes = [.. options.HiddenSizes];
        EnsureThreadCount();
        NativeHeap.KeepFreedMemory();

        using var scope = torch.NewDisposeScope();
        int critic = InputSize + actionSize;
        _actor = new Mlp(InputSize, _hiddenSizes, actionSize, options.Activation, Rng.ForStream(options.Seed, "ddpg-actor-init"));
        _critic = new Mlp(critic, _hiddenSizes, 1, options.Activation, Rng.ForStream(options.Seed, "ddpg-critic-init"));
        _actorTarget = new Mlp(InputSize, _hiddenSizes, actionSize, options.Activation, initRng: null, trainable: false);
        _criticTarget = new Mlp(critic, _hiddenSizes, 1, options.Activation, initRng: null, trainable: false);
        using (torch.no_grad())
        {
            _actorTarget.FlatParameters.copy_(_actor.FlatParameters);
            _criticTarget.FlatParameters.copy_(_critic.FlatParameters);
        }
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _criticOptimizer = new FlatAdam(_critic.FlatParameters, _critic.FlatGradients!, options.CriticLearningRate);
        ObservationNormalizer = new Normalizer(observationSize, options.NormalizerClipRange, options.NormalizerEpsilon);
        GoalNormalizer = new Normalizer(goalSize, options.NormalizerClipRange, options.NormalizerEpsilon);
        _tau = torch.tensor((float)options.Tau).DetachFromDisposeScope();
        _minReturnScalar = _minReturn;
        _actionL2Scalar = _actionL2;
        _actRow = new float[InputSize];
        _actInput = torch.zeros(1, InputSize, dtype: float32).DetachFromDisposeScope();
    }

    public DdpgOptions Options { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    /// <summary>Width of a network input row: observation ++ goal (the desired goal, or desired - achieved with relative goals: <see cref="Her"/> builds the
    /// rows).</summary>
    public int InputSize => ObservationSize + GoalSize;

    /// <summary>Statistics of the observation part of input rows (used only when <see cref="DdpgOptions.Normalize"/> is on).</summary>
    public Normalizer ObservationNormalizer { get; }

    /// <summary>Statistics of the desired-goal part of input rows (used only when <see cref="DdpgOptions.Normalize"/> is on).</summary>
    public Normalizer GoalNormalizer { get; }

    /// <summary>Gradient updates done so far (saved and loaded with the state).</summary>
    public long UpdateCount => _criticOptimizer.Steps;

    /// <summary>Changes whenever the actor's weights or the normalisers may have changed (update, normaliser update, load):
    /// a managed copy of the policy (<see cref="ActingPolicy"/>) refreshes itself when it sees a new value.</summary>
    internal long ActingStateVersion { get; private set; }

    /// <summary>The online networks and their targets, for inspection and tests; <see cref="Update"/> and <see cref="UpdateTargets"/> change them.</summary>
    public Mlp Actor => _actor;
    public Mlp Critic => _critic;
    public Mlp ActorTarget => _actorTarget;
    public Mlp CriticTarget => _criticTarget;

    /// <summary>
    /// The deterministic action for one input row (<c>observation ++ goal</c> as <see cref="Her"/> builds it, raw: normalised
    /// here), written into <paramref name="action"/> within the action bounds. No gradient is recorded.
    /// </summary>
    public void Act(ReadOnlySpan<float> input, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (input.Length != InputSize) throw new ArgumentException($"input row must have {InputSize} values, got {input.Length}", nameof(input));
        if (action.Length != ActionSize) throw new ArgumentException($"action must have {ActionSize} values, got {action.Length}", nameof(action));
        EnsureThreadCount();
        NormalizeInputs(input, _actRow);

        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _actInput.bytes = MemoryMarshal.AsBytes(_actRow.AsSpan());
        var unitAction = _actor.forward(_actInput).tanh_();
        var values = MemoryMarshal.Cast<byte, float>(unitAction.bytes);
        for (int i = 0; i < ActionSize; i++) action[i] = _actionCenter[i] + _actionHalfRange[i] * values[i];
    }

    /// <summary>
    /// One gradient step of the critic and then of the actor on <paramref name="batch"/>. Targets are
    /// not moved: call <see cref="UpdateTargets"/> on the schedule the trainer chooses.
    /// </summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        ActingStateVersion++;
        using var scope = torch.NewDisposeScope();
        var b = Stage(batch);

        // Target: y = r + gamma * (1 - terminated) * Q'(s', mu'(s')), clipped to the range returns can take.
        Tensor target;
        using (torch.no_grad())
        {
            var nextActions = _actorTarget.forward(b.NextInputs).tanh_();
            var nextQ = _criticTarget.forward(torch.cat([b.NextInputs, nextActions], 1));
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: _one);
            if (_clipReturn) target.clamp_(_minReturnScalar, _zero);
        }

        // Critic: regress Q(s, a) on the target.
        var q = _critic.forward(b.InputsAndActions);
        var criticLoss = nn.functional.mse_loss(q, target);
        _critic.ZeroGradients();
        criticLoss.backward();
        _criticOptimizer.Step();

        // Actor: climb Q(s, pi(s)) through the updated critic, whose weights stay out of this backward;
        // the L2 penalty on the tanh outputs keeps the policy away from saturation.
        Tensor actorLoss;
        _critic.RequireGradients(false);
        try
        {
            var actions = _actor.forward(b.Inputs).tanh();
            actorLoss = -_critic.forward(torch.cat([b.Inputs, actions], 1)).mean();
            if (_actionL2 > 0) actorLoss = actorLoss.add((actions * actions).mean(), alpha: _actionL2Scalar);
            _actor.ZeroGradients();
            actorLoss.backward();
            _actorOptimizer.Step();
        }
        finally
        {
            _critic.RequireGradients(true);
        }

        using var noGrad = torch.no_grad();
        return new UpdateStats(ReadScalar(criticLoss), ReadScalar(actorLoss), ReadScalar(q.mean()));
    }

    /// <summary>Polyak averaging: every target parameter moves <c>tau</c> of the way to its online one.</summary>
    public void UpdateTargets()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var noGrad = torch.no_grad();
        _actorTarget.FlatParameters.lerp_(_actor.FlatParameters, _tau);
        _criticTarget.FlatParameters.lerp_(_critic.FlatParameters, _tau);
    }

    /// <summary>
    /// Feeds the normalisers with the batch's input rows: observations, and desired goals as sampled,
    /// that is with HER's relabeled goals, so the goal statistics cover the goals the networks are trained on.
    /// Does nothing when normalisation is off.
    /// </summary>
    public void UpdateNormalizers(ReplayBatch batch)
    {
        if (!_normalize) return;
        CheckBatchShape(batch);
        ActingStateVersion++;
        var rows = batch.Inputs.AsSpan(0, batch.Count * InputSize);
        ObservationNormalizer.Update(rows, InputSize, 0);
        GoalNormalizer.Update(rows, InputSize, ObservationSize);
    }

    /// <summary>True when no parameter of the four networks is NaN or infinite.</summary>
    public bool WeightsAreFinite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        foreach (var network in (Mlp[])[_actor, _critic, _actorTarget, _criticTarget])
            if (!torch.isfinite(network.FlatParameters).all().item<bool>()) return false;
        return true;
    }

    /// <summary>
    /// Writes everything updating depends on: the four networks' parameters, both Adam states with
    /// their step counts, and the normalisers. A learner loaded from it updates bit-identically to this one.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        writer.Write(StateHeader);
        writer.Write(StateVersion);
        writer.Write(Layout());
        foreach (var network in (Mlp[])[_actor, _critic, _actorTarget, _criticTarget]) TensorIo.WriteFloats(writer, network.FlatParameters);
        _actorOptimizer.Save(writer);
        _criticOptimizer.Save(writer);
        ObservationNormalizer.WriteState(writer);
        GoalNormalizer.WriteState(writer);
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote; the networks' sizes and activation must match this learner's. Every
    /// value is checked against what training can produce (finite; Adam's moments consistent; no parameter further
    /// from 0 than its initial bound of 1 plus <see cref="FlatAdam.MaxStepPerLearningRate"/> learning rates per
    /// step taken), so a file that loads also trains; anything else is refused with a
    /// <see cref="SavedStateException"/> naming the field.
    /// </summary>
    public void Load(BinaryReader reader)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ActingStateVersion++;
        string header = SavedStateException.Read("header", reader.ReadString);
        if (header != StateHeader) throw new SavedStateException("header",
            $"not a saved DDPG learner (header '{Checkpoints.CheckpointNames.Printable(header)}')");
        int version = SavedStateException.Read("format version", reader.ReadInt32);
        if (version != StateVersion) throw new SavedStateException("format version",
            $"saved DDPG learner has format version {version}, this build reads {StateVersion}");
        string layout = SavedStateException.Read("layout", reader.ReadString);
        if (layout != Layout()) throw new SavedStateException("layout",
            $"saved DDPG learner has networks '{Checkpoints.CheckpointNames.Printable(layout)}', this one has {Layout()}");
        string[] names = ["actor", "critic", "actor target", "critic target"];
        var networks = (Mlp[])[_actor, _critic, _actorTarget, _criticTarget];
        for (int i = 0; i < networks.Length; i++) TensorIo.ReadFloats(reader, networks[i].FlatParameters, names[i] + " parameters");
        _actorOptimizer.Load(reader, "actor");
        _criticOptimizer.Load(reader, "critic");
        if (_actorOptimizer.Steps != _criticOptimizer.Steps)
            throw new SavedStateException("actor Adam steps",
                $"{_actorOptimizer.Steps}, but the critic's are {_criticOptimizer.Steps}: every update steps both");
        ObservationNormalizer.ReadState(reader, "observation normalizer");
        GoalNormalizer.ReadState(reader, "goal normalizer");
        for (int i = 0; i < networks.Length; i++)
            CheckReachable(networks[i], names[i] + " parameters", i % 2 == 0 ? _actorOptimizer : _criticOptimizer);
    }

    // Initial weights and biases lie in [-1/sqrt(fan_in), 1/sqrt(fan_in)], within [-1, 1]; Adam moves each by at most
    // MaxStepPerLearningRate learning rates a step, and a target network averages its online network's past values.
    private static void CheckReachable(Mlp network, string field, FlatAdam optimizer)
    {
        double bound = 1 + FlatAdam.MaxStepPerLearningRate * optimizer.LearningRate * optimizer.Steps;
        using var scope = torch.NewDisposeScope();
        double largest = network.FlatParameters.abs().max().item<float>();
        if (largest > bound * (1 + 1e-5))
            throw new SavedStateException(field,
                $"hold a value of magnitude {largest:G4}; {optimizer.Steps} Adam steps at learning rate {optimizer.LearningRate:G4} reach at most {bound:G4}");
    }

    /// <summary>
    /// The actor as it acts now, with no learning state: its weights, the normalisers' current statistics and the
    /// action scaling, copied into a new <see cref="PolicyModel"/> that <see cref="GoalPolicy"/> computes without TorchSharp.
    /// </summary>
    /// <param name="relativeGoals">Whether input rows carry desired minus achieved goal (<see cref="Her"/> builds the rows).</param>
    /// <param name="algorithm">Recorded in the model, for its reader.</param>
    /// <param name="environmentId">Recorded in the model, for its reader.</param>
    public PolicyModel ExportPolicy(bool relativeGoals, string algorithm, string environmentId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var normalization = _normalize
            ? new InputNormalization([.. ObservationNormalizer.Mean], [.. ObservationNormalizer.Std], [.. GoalNormalizer.Mean], [.. GoalNormalizer.Std],
                ObservationNormalizer.ClipRange)
            : null;
        return new PolicyModel(ObservationSize, GoalSize, ActionSize, _hiddenSizes, PolicyActivationNames.Parse(Options.Activation),
            CopyActorParameters(), [.. _actionCenter], [.. _actionHalfRange], relativeGoals, normalization, algorithm, environmentId);
    }

    /// <summary>Copies the actor's current weights and the normalisers' statistics into <paramref name="model"/>, made by <see cref="ExportPolicy"/>.</summary>
    internal void CopyActingStateTo(PolicyModel model)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        MemoryMarshal.Cast<byte, float>(_actor.FlatParameters.bytes).CopyTo(model.Parameters);
        if (model.Normalization is not { } n) return;
        for (int i = 0; i < ObservationSize; i++) { n.ObservationMean[i] = ObservationNormalizer.Mean[i]; n.ObservationStd[i] = ObservationNormalizer.Std[i]; }
        for (int i = 0; i < GoalSize; i++) { n.GoalMean[i] = GoalNormalizer.Mean[i]; n.GoalStd[i] = GoalNormalizer.Std[i]; }
    }

    private float[] CopyActorParameters() => MemoryMarshal.Cast<byte, float>(_actor.FlatParameters.bytes).ToArray();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _batch?.Dispose();
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _actor.Dispose();
        _critic.Dispose();
        _actorTarget.Dispose();
        _criticTarget.Dispose();
        _tau.Dispose();
        _actInput.Dispose();
        foreach (var scalar in (Scalar[])[_one, _zero, _minReturnScalar, _actionL2Scalar]) scalar.Dispose();
    }

    private string Layout() =>
        $"observation {ObservationSize}, goal {GoalSize}, action {ActionSize}, hidden [{string.Join(", ", _hiddenSizes)}], {Options.Activation}";

    // item<T>() builds an accessor and a pinned stride array per call; the bytes span reads the value in place.
    private static float ReadScalar(Tensor scalar) => MemoryMarshal.Cast<byte, float>(scalar.bytes)[0];

    /// <summary>
    /// Intra-op threads this learner applies at the start of every call (0: it leaves the thread's count alone).
    /// Settable so <c>threads: 0</c> can follow the machine's load during a run; results then depend on the timing.
    /// </summary>
    public int Threads
    {
        get => _threads;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _threads = value;
        }
    }

    private void EnsureThreadCount()
    {
        if (_threads > 0 && torch.get_num_threads() != _threads) torch.set_num_threads(_threads);
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

    // Normalises and lays out the batch on the CPU, then copies each array into its tensor in one write.
    private BatchTensors Stage(ReplayBatch batch)
    {
        CheckBatchShape(batch);
        int rows = batch.Count;
        if (_batch is null || _batch.Rows != rows)
        {
            _batch?.Dispose();
            _batch = new BatchTensors(rows, InputSize, ActionSize);
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
        b.Upload();
        return b;
    }

    /// <summary>A batch on the CPU and as tensors of the same layout, allocated once per row count.</summary>
    private sealed class BatchTensors : IDisposable
    {
        public BatchTensors(int rows, int inputSize, int actionSize)
        {
            Rows = rows;
            InputsData = new float[rows * inputSize];
            NextInputsData = new float[rows * inputSize];
            InputsAndActionsData = new float[rows * (inputSize + actionSize)];
            RewardsData = new float[rows];
            DiscountsData = new float[rows];
            Inputs = torch.empty(rows, inputSize, dtype: float32).DetachFromDisposeScope();
            NextInputs = torch.empty(rows, inputSize, dtype: float32).DetachFromDisposeScope();
            InputsAndActions = torch.empty(rows, inputSize + actionSize, dtype: float32).DetachFromDisposeScope();
            Rewards = torch.empty(rows, 1, dtype: float32).DetachFromDisposeScope();
            Discounts = torch.empty(rows, 1, dtype: float32).DetachFromDisposeScope();
        }

        public int Rows { get; }
        public float[] InputsData { get; }
        public float[] NextInputsData { get; }
        /// <summary>Normalised input ++ unit-space action: the critic's input for the batch's own actions.</summary>
        public float[] InputsAndActionsData { get; }
        public float[] RewardsData { get; }
        /// <summary>gamma * (1 - terminated) per row.</summary>
        public float[] DiscountsData { get; }
        public Tensor Inputs { get; }
        public Tensor NextInputs { get; }
        public Tensor InputsAndActions { get; }
        public Tensor Rewards { get; }
        public Tensor Discounts { get; }

        public void Upload()
        {
            Inputs.bytes = MemoryMarshal.AsBytes(InputsData.AsSpan());
            NextInputs.bytes = MemoryMarshal.AsBytes(NextInputsData.AsSpan());
            InputsAndActions.bytes = MemoryMarshal.AsBytes(InputsAndActionsData.AsSpan());
            Rewards.bytes = MemoryMarshal.AsBytes(RewardsData.AsSpan());
            Discounts.bytes = MemoryMarshal.AsBytes(DiscountsData.AsSpan());
        }

        public void Dispose()
        {
            Inputs.Dispose(); NextInputs.Dispose(); InputsAndActions.Dispose(); Rewards.Dispose(); Discounts.Dispose();
        }
    }
}
