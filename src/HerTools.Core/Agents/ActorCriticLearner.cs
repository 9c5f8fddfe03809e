using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// What <see cref="Ddpg"/>, <see cref="Td3"/> and <see cref="Sac"/> share, so each of them holds only its networks and
/// its update: the input staging and normalisers (<see cref="LearnerInputs"/>), the thread count applied on every call,
/// the acting-state version <see cref="ActingPolicy"/> follows, and the saved state's framing. A learner declares its
/// networks (in the order its file lists them) and its optimisers; the base saves, checks, loads, exports and disposes them.
/// <para>
/// Threads: TorchSharp's <c>torch.set_num_threads</c> sets OpenMP's and MKL's per-OS-thread counts
/// and a process-wide default that a thread picks up at its first parallel op. Measured with
/// TorchSharp 0.107 (libtorch 2.10): a thread that set its own count kept it after another thread
/// set a different one, but a thread that never set one got the latest value set anywhere, and
/// once the process's main thread reported the other thread's count. So runs in one process are
/// isolated only if each re-applies its count on the thread it runs on: a learner does so
/// (when <see cref="LearnerOptions.Threads"/> is positive) at the start of every act, update and target update,
/// for one cheap native query when nothing changed.
/// </para>
/// <para>
/// Saved state, in this order: header, format version, layout; every network's flat parameters; every optimiser's
/// state; the learner's own parameters (<see cref="WriteOwnParameters"/>); the normalisers; the learner's own
/// generators and counters (<see cref="WriteOwnState"/>). Loading checks each part where it is read and ends by
/// refusing any parameter that training cannot reach (<see cref="SavedLearner.CheckReachable"/>).
/// </para>
/// </summary>
public abstract class ActorCriticLearner : ILearner, IActingStateSource
{
    private readonly string _stateHeader, _displayName;
    private readonly int _stateVersion;
    private int _threads;
    private Mlp? _actor;
    private LearnerNetwork[] _networks = [];
    private (string Name, FlatAdam Optimizer)[] _optimizers = [];
    private bool _disposed;

    // Scalar operands made once: TorchSharp frees a Scalar converted from a number only in its
    // finalizer, and such leftovers fragment the native heap (see FlatAdam).
    private protected readonly Scalar One = 1, Zero = 0f;
    private protected readonly Tensor Tau;
    private protected readonly LearnerInputs Inputs;
    private protected readonly int[] HiddenSizes;   // a copy: the caller's options array may change later

    /// <param name="displayName">The learner in messages about its saved state: DDPG, TD3, SAC.</param>
    /// <param name="stateHeader">The first string of its saved state.</param>
    /// <param name="stateVersion">The format version this build writes and reads.</param>
    /// <param name="options">Networks and update settings; validated here.</param>
    /// <param name="observationSize">Width of the observation part of an input row.</param>
    /// <param name="goalSize">Width of the desired-goal part that follows it.</param>
    /// <param name="actionSize">Width of an action.</param>
    /// <param name="actionLow">Lower action bounds, finite.</param>
    /// <param name="actionHigh">Upper action bounds, finite and above the lower ones.</param>
    /// <param name="noiseWidth">Random draws staged per batch row for the update (see <see cref="LearnerInputs"/>).</param>
    /// <param name="validate">The learner's own checks of its settings, run after <see cref="LearnerOptions.Validate"/> and
    /// before anything native is allocated.</param>
    private protected ActorCriticLearner(string displayName, string stateHeader, int stateVersion, LearnerOptions options,
        int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh, int noiseWidth = 0, Action? validate = null)
    {
        options.Validate();
        validate?.Invoke();
        _displayName = displayName; _stateHeader = stateHeader; _stateVersion = stateVersion;
        Inputs = new LearnerInputs(options, observationSize, goalSize, actionSize, actionLow, actionHigh, noiseWidth);
        Options = options;
        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        HiddenSizes = [.. options.HiddenSizes];
        _threads = options.Threads;
        EnsureThreadCount();
        NativeHeap.KeepFreedMemory();
        Tau = torch.tensor((float)options.Tau).DetachFromDisposeScope();
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public abstract string Name { get; }
    public LearnerOptions Options { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }

    /// <summary>Width of a network input row: observation ++ goal (the desired goal, or desired - achieved with relative goals:
    /// <see cref="GoalConditionedAgent"/> builds the rows).</summary>
    public int InputSize => ObservationSize + GoalSize;

    /// <summary>Statistics of the observation part of input rows (used only when <see cref="LearnerOptions.Normalize"/> is on).</summary>
    public Normalizer ObservationNormalizer => Inputs.ObservationNormalizer;

    /// <summary>Statistics of the desired-goal part of input rows (used only when <see cref="LearnerOptions.Normalize"/> is on).</summary>
    public Normalizer GoalNormalizer => Inputs.GoalNormalizer;

    /// <summary>Gradient (critic) updates done so far (saved and loaded with the state).</summary>
    public abstract long UpdateCount { get; }

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

    /// <summary>The network whose first <see cref="ActionSize"/> outputs, through tanh, are the deterministic action.</summary>
    public Mlp Actor => _actor ?? throw new InvalidOperationException("the learner declared no networks");

    /// <summary>
    /// The deterministic action for one input row (<c>observation ++ goal</c> as <see cref="GoalConditionedAgent"/> builds it, raw: normalised
    /// here): tanh of the actor's first <see cref="ActionSize"/> outputs (SAC's mean), written into <paramref name="action"/> within the
    /// action bounds. No gradient is recorded.
    /// </summary>
    public void Act(ReadOnlySpan<float> input, Span<float> action)
    {
        ThrowIfDisposed();
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        Inputs.ToBounds(Actor.forward(Inputs.ActInput(input)).narrow(1, 0, ActionSize).tanh(), action);
    }

    /// <summary>The collection action before the trainer's noise: the deterministic one, unless the learner samples its policy (SAC).</summary>
    public virtual void Explore(ReadOnlySpan<float> input, Span<float> action) => Act(input, action);

    /// <summary>One gradient step on <paramref name="batch"/> (<see cref="Step"/>), with its inputs staged in one copy per array.</summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        ThrowIfDisposed();
        EnsureThreadCount();
        ActingStateVersion++;
        using var scope = torch.NewDisposeScope();
        return Step(Inputs.Stage(batch, UpdateNoise));
    }

    /// <summary>Polyak averaging: every target network moves <c>tau</c> of the way to the network it follows, when the
    /// learner says they are due (<see cref="TakeTargetsDue"/>: TD3 moves them only after an actor update).</summary>
    public void UpdateTargets()
    {
        ThrowIfDisposed();
        if (!TakeTargetsDue()) return;
        EnsureThreadCount();
        using var noGrad = torch.no_grad();
        foreach (var network in _networks)
            if (network.Follows is { } online) network.Network.FlatParameters.lerp_(online.FlatParameters, Tau);
    }

    /// <summary>
    /// Feeds the normalisers with the batch's input rows: observations, and desired goals as sampled,
    /// that is with HER's relabeled goals, so the goal statistics cover the goals the networks are trained on.
    /// Does nothing when normalisation is off.
    /// </summary>
    public void UpdateNormalizers(ReplayBatch batch)
    {
        ActingStateVersion++;
        Inputs.UpdateNormalizers(batch);
    }

    /// <summary>True when no parameter of any network (nor a learner's own parameter, <see cref="OwnParametersAreFinite"/>) is NaN or infinite.</summary>
    public bool WeightsAreFinite()
    {
        ThrowIfDisposed();
        using var scope = torch.NewDisposeScope();
        foreach (var network in _networks)
            if (!torch.isfinite(network.Network.FlatParameters).all().item<bool>()) return false;
        return OwnParametersAreFinite();
    }

    /// <summary>
    /// Writes everything updating depends on (the order is in the class summary). A learner loaded from it updates
    /// bit-identically to this one.
    /// </summary>
    public void Save(BinaryWriter writer)
    {
        ThrowIfDisposed();
        writer.Write(_stateHeader);
        writer.Write(_stateVersion);
        writer.Write(Layout());
        foreach (var network in _networks) TensorIo.WriteFloats(writer, network.Network.FlatParameters);
        foreach (var (_, optimizer) in _optimizers) optimizer.Save(writer);
        WriteOwnParameters(writer);
        Inputs.WriteState(writer);
        WriteOwnState(writer);
    }

    /// <summary>
    /// Restores what <see cref="Save"/> wrote; the networks' sizes and activation must match this learner's. Every
    /// value is checked against what training can produce (finite; Adam's moments and step counts consistent; no
    /// parameter further from 0 than its initial bound of 1 plus <see cref="FlatAdam.MaxStepPerLearningRate"/> learning
    /// rates per step taken), so a file that loads also trains; anything else is refused with a
    /// <see cref="SavedStateException"/> naming the field.
    /// </summary>
    public void Load(BinaryReader reader)
    {
        ThrowIfDisposed();
        ActingStateVersion++;
        SavedLearner.ReadPreamble(reader, _displayName, _stateHeader, _stateVersion, Layout());
        foreach (var network in _networks) TensorIo.ReadFloats(reader, network.Network.FlatParameters, network.Name + " parameters");
        foreach (var (name, optimizer) in _optimizers) optimizer.Load(reader, name);
        CheckOptimizerSteps();
        ReadOwnParameters(reader);
        Inputs.ReadState(reader);
        ReadOwnState(reader);
        foreach (var network in _networks) SavedLearner.CheckReachable(network.Network, network.Name + " parameters", network.MovedBy);
    }

    /// <summary>
    /// The actor as it acts now, with no learning state: its weights, the normalisers' current statistics and the
    /// action scaling, copied into a new <see cref="PolicyModel"/> that <see cref="GoalPolicy"/> computes without TorchSharp.
    /// </summary>
    /// <param name="relativeGoals">Whether input rows carry desired minus achieved goal (<see cref="GoalConditionedAgent"/> builds the rows).</param>
    /// <param name="algorithm">Recorded in the model, for its reader.</param>
    /// <param name="environmentId">Recorded in the model, for its reader.</param>
    public PolicyModel ExportPolicy(bool relativeGoals, string algorithm, string environmentId)
    {
        ThrowIfDisposed();
        return Inputs.ExportActor(Actor, HiddenSizes, Options.Activation, relativeGoals, algorithm, environmentId);
    }

    /// <summary>Changes whenever the actor's weights or the normalisers may have changed (update, normaliser update, load):
    /// a managed copy of the policy (<see cref="ActingPolicy"/>) refreshes itself when it sees a new value.</summary>
    internal long ActingStateVersion { get; private protected set; }

    long IActingStateSource.ActingStateVersion => ActingStateVersion;

    /// <summary>Copies the actor's current weights and the normalisers' statistics into <paramref name="model"/>, made by <see cref="ExportPolicy"/>.</summary>
    void IActingStateSource.CopyActingStateTo(PolicyModel model)
    {
        ThrowIfDisposed();
        Inputs.CopyActorTo(Actor, model);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        Inputs.Dispose();
        foreach (var (_, optimizer) in _optimizers) optimizer.Dispose();
        foreach (var network in _networks) network.Network.Dispose();
        Tau.Dispose();
        One.Dispose();
        Zero.Dispose();
        DisposeOwn();
    }

    /// <summary>Called once at the end of a learner's constructor: its actor, its networks in the order its saved state
    /// lists them, and its optimisers (each stepping one network, named as in messages) likewise.</summary>
    private protected void Declare(Mlp actor, LearnerNetwork[] networks, (string Name, FlatAdam Optimizer)[] optimizers)
    {
        _actor = actor;
        _networks = networks;
        _optimizers = optimizers;
    }

    /// <summary>A trainable network of this learner's hidden sizes and activation, initialised from its own generator stream.</summary>
    private protected Mlp NewNetwork(int inputSize, int outputSize, string initStream) =>
        new(inputSize, HiddenSizes, outputSize, Options.Activation, Rng.ForStream(Options.Seed, initStream));

    /// <summary>A frozen copy of <paramref name="online"/>: a target network, starting equal to it.</summary>
    private protected Mlp NewTargetOf(Mlp online)
    {
        var target = new Mlp(online.InputSize, HiddenSizes, online.OutputSize, Options.Activation, initRng: null, trainable: false);
        using (torch.no_grad()) target.FlatParameters.copy_(online.FlatParameters);
        return target;
    }

    /// <summary>The learner's update on a staged batch, inside <see cref="Update"/>'s dispose scope.</summary>
    private protected abstract UpdateStats Step(LearnerInputs.StagedBatch b);

    /// <summary>The generator of the random draws staged with each batch (none unless the constructor gave a noise width).</summary>
    private protected virtual Rng? UpdateNoise => null;

    /// <summary>Whether <see cref="UpdateTargets"/> moves the targets now; a learner that delays them clears its flag here.</summary>
    private protected virtual bool TakeTargetsDue() => true;

    /// <summary>Refuses optimiser step counts the update schedule cannot produce, with <see cref="SavedLearner.CheckSteps"/>.</summary>
    private protected abstract void CheckOptimizerSteps();

    /// <summary>The networks and settings the state's shapes depend on, saved and compared on load.</summary>
    private protected virtual string Layout() =>
        $"observation {ObservationSize}, goal {GoalSize}, action {ActionSize}, hidden [{string.Join(", ", HiddenSizes)}], {Options.Activation}";

    private protected virtual void WriteOwnParameters(BinaryWriter writer) { }
    private protected virtual void ReadOwnParameters(BinaryReader reader) { }
    private protected virtual void WriteOwnState(BinaryWriter writer) { }
    private protected virtual void ReadOwnState(BinaryReader reader) { }
    private protected virtual bool OwnParametersAreFinite() => true;
    private protected virtual void DisposeOwn() { }

    private protected void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    private protected void EnsureThreadCount()
    {
        if (_threads > 0 && torch.get_num_threads() != _threads) torch.set_num_threads(_threads);
    }
}
