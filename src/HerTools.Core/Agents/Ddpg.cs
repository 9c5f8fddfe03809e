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
/// (when <see cref="LearnerOptions.Threads"/> is positive) at the start of every <see cref="Act"/>,
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
public sealed class Ddpg : ILearner, IActingStateSource
{
    private const string StateHeader = "HerTools.Ddpg";
    private const int StateVersion = 1;

    private readonly Mlp _actor, _critic, _actorTarget, _criticTarget;
    private readonly FlatAdam _actorOptimizer, _criticOptimizer;
    private readonly LearnerInputs _inputs;
    private readonly float _actionL2, _minReturn;
    private readonly bool _clipReturn;
    private int _threads;
    private readonly int[] _hiddenSizes;   // a copy: the caller's options array may change later
    private readonly Tensor _tau;
    // Scalar operands made once: TorchSharp frees a Scalar converted from a number only in its
    // finalizer, and such leftovers fragment the native heap (see FlatAdam).
    private readonly Scalar _one = 1, _zero = 0f, _minReturnScalar, _actionL2Scalar;
    private bool _disposed;

    /// <param name="options">Networks and update settings; validated here.</param>
    /// <param name="observationSize">Width of the observation part of an input row.</param>
    /// <param name="goalSize">Width of the desired-goal part that follows it.</param>
    /// <param name="actionSize">Width of an action.</param>
    /// <param name="actionLow">Lower action bounds, finite.</param>
    /// <param name="actionHigh">Upper action bounds, finite and above the lower ones.</param>
    public Ddpg(LearnerOptions options, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
    {
        options.Validate();
        _inputs = new LearnerInputs(options, observationSize, goalSize, actionSize, actionLow, actionHigh);
        Options = options;
        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        _actionL2 = (float)options.ActionL2;
        _clipReturn = options.ClipReturn;
        _minReturn = (float)(-1.0 / (1.0 - options.Gamma));
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
        _tau = torch.tensor((float)options.Tau).DetachFromDisposeScope();
        _minReturnScalar = _minReturn;
        _actionL2Scalar = _actionL2;
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "ddpg";
    public string Name => LearnerName;
    public LearnerOptions Options { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    /// <summary>Width of a network input row: observation ++ goal (the desired goal, or desired - achieved with relative goals:
    /// <see cref="GoalConditionedAgent"/> builds the rows).</summary>
    public int InputSize => ObservationSize + GoalSize;

    /// <summary>Statistics of the observation part of input rows (used only when <see cref="LearnerOptions.Normalize"/> is on).</summary>
    public Normalizer ObservationNormalizer => _inputs.ObservationNormalizer;

    /// <summary>Statistics of the desired-goal part of input rows (used only when <see cref="LearnerOptions.Normalize"/> is on).</summary>
    public Normalizer GoalNormalizer => _inputs.GoalNormalizer;

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
    /// The deterministic action for one input row (<c>observation ++ goal</c> as <see cref="GoalConditionedAgent"/> builds it, raw: normalised
    /// here), written into <paramref name="action"/> within the action bounds. No gradient is recorded.
    /// </summary>
    public void Act(ReadOnlySpan<float> input, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _inputs.ToBounds(_actor.forward(_inputs.ActInput(input)).tanh_(), action);
    }

    /// <summary>DDPG explores with added noise (the trainer's): the collection action is the deterministic one.</summary>
    public void Explore(ReadOnlySpan<float> input, Span<float> action) => Act(input, action);

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
        var b = _inputs.Stage(batch);

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
        return new UpdateStats(TensorIo.ReadScalar(criticLoss), TensorIo.ReadScalar(actorLoss), TensorIo.ReadScalar(q.mean()));
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
        ActingStateVersion++;
        _inputs.UpdateNormalizers(batch);
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
        _inputs.WriteState(writer);
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
        SavedLearner.ReadPreamble(reader, "DDPG", StateHeader, StateVersion, Layout());
        string[] names = ["actor", "critic", "actor target", "critic target"];
        var networks = (Mlp[])[_actor, _critic, _actorTarget, _criticTarget];
        for (int i = 0; i < networks.Length; i++) TensorIo.ReadFloats(reader, networks[i].FlatParameters, names[i] + " parameters");
        _actorOptimizer.Load(reader, "actor");
        _criticOptimizer.Load(reader, "critic");
        if (_actorOptimizer.Steps != _criticOptimizer.Steps)
            throw new SavedStateException("actor Adam steps",
                $"{_actorOptimizer.Steps}, but the critic's are {_criticOptimizer.Steps}: every update steps both");
        _inputs.ReadState(reader);
        for (int i = 0; i < networks.Length; i++)
            SavedLearner.CheckReachable(networks[i], names[i] + " parameters", i % 2 == 0 ? _actorOptimizer : _criticOptimizer);
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
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _inputs.ExportActor(_actor, _hiddenSizes, Options.Activation, relativeGoals, algorithm, environmentId);
    }

    long IActingStateSource.ActingStateVersion => ActingStateVersion;

    /// <summary>Copies the actor's current weights and the normalisers' statistics into <paramref name="model"/>, made by <see cref="ExportPolicy"/>.</summary>
    void IActingStateSource.CopyActingStateTo(PolicyModel model)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _inputs.CopyActorTo(_actor, model);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _inputs.Dispose();
        _actorOptimizer.Dispose();
        _criticOptimizer.Dispose();
        _actor.Dispose();
        _critic.Dispose();
        _actorTarget.Dispose();
        _criticTarget.Dispose();
        _tau.Dispose();
        foreach (var scalar in (Scalar[])[_one, _zero, _minReturnScalar, _actionL2Scalar]) scalar.Dispose();
    }

    private string Layout() =>
        $"observation {ObservationSize}, goal {GoalSize}, action {ActionSize}, hidden [{string.Join(", ", _hiddenSizes)}], {Options.Activation}";

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
}
