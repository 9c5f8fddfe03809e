using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// TD3 (Fujimoto et al. 2018): DDPG with twin critics whose minimum is the target, target policy smoothing (clipped
/// Gaussian noise on the target action) and a delayed actor: the actor and the targets move once every
/// <see cref="Td3Options.PolicyDelay"/> critic updates. The update follows CleanRL's <c>td3_continuous_action.py</c>
/// and Stable-Baselines3's <c>td3.py</c> (its update counter and delay test, its summed critic loss).
/// <para>
/// Networks, inputs and persistence are <see cref="Ddpg"/>'s: flat-parameter <see cref="Mlp"/>s, <see cref="FlatAdam"/>,
/// <see cref="LearnerInputs"/> staging with one copy per array. The smoothing noise is drawn on the CPU from the
/// learner's own generator and staged with the batch, so it is saved with the learner and a resume repeats it.
/// The critics see unit-space actions, and the noise is in that space, as SB3's is in its rescaled one.
/// </para>
/// </summary>
public sealed class Td3 : ILearner, IActingStateSource
{
    private const string StateHeader = "HerTools.Td3";
    private const int StateVersion = 1;

    private readonly LearnerInputs _inputs;
    private readonly Mlp _actor, _actorTarget, _critic1, _critic2, _critic1Target, _critic2Target;
    private readonly FlatAdam _actorOptimizer, _critic1Optimizer, _critic2Optimizer;
    private readonly Rng _noiseRng;
    private readonly int[] _hiddenSizes;
    private readonly bool _clipReturn;
    private readonly float _actionL2;
    private readonly Tensor _tau;
    private readonly Scalar _one = 1, _minusOne = -1, _zero = 0f, _minReturn, _actionL2Scalar, _noiseSigma, _noiseClip, _minusNoiseClip;
    private int _threads;
    private float _lastActorLoss;
    private bool _targetsDue;
    private bool _disposed;

    public Td3(LearnerOptions options, Td3Options td3, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
    {
        options.Validate();
        td3.Validate();
        _inputs = new LearnerInputs(options, observationSize, goalSize, actionSize, actionLow, actionHigh, noiseWidth: actionSize);
        Options = options; Td3Options = td3;
        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        _hiddenSizes = [.. options.HiddenSizes];
        _clipReturn = options.ClipReturn;
        _actionL2 = (float)options.ActionL2;
        _threads = options.Threads;
        EnsureThreadCount();
        NativeHeap.KeepFreedMemory();

        using var scope = torch.NewDisposeScope();
        int input = observationSize + goalSize, critic = input + actionSize;
        _actor = new Mlp(input, _hiddenSizes, actionSize, options.Activation, Rng.ForStream(options.Seed, "td3-actor-init"));
        _critic1 = new Mlp(critic, _hiddenSizes, 1, options.Activation, Rng.ForStream(options.Seed, "td3-critic1-init"));
        _critic2 = new Mlp(critic, _hiddenSizes, 1, options.Activation, Rng.ForStream(options.Seed, "td3-critic2-init"));
        _actorTarget = new Mlp(input, _hiddenSizes, actionSize, options.Activation, initRng: null, trainable: false);
        _critic1Target = new Mlp(critic, _hiddenSizes, 1, options.Activation, initRng: null, trainable: false);
        _critic2Target = new Mlp(critic, _hiddenSizes, 1, options.Activation, initRng: null, trainable: false);
        using (torch.no_grad())
        {
            _actorTarget.FlatParameters.copy_(_actor.FlatParameters);
            _critic1Target.FlatParameters.copy_(_critic1.FlatParameters);
            _critic2Target.FlatParameters.copy_(_critic2.FlatParameters);
        }
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _critic1Optimizer = new FlatAdam(_critic1.FlatParameters, _critic1.FlatGradients!, options.CriticLearningRate);
        _critic2Optimizer = new FlatAdam(_critic2.FlatParameters, _critic2.FlatGradients!, options.CriticLearningRate);
        _noiseRng = Rng.ForStream(options.Seed, "td3-target-noise");
        _tau = torch.tensor((float)options.Tau).DetachFromDisposeScope();
        _minReturn = (float)(-1.0 / (1.0 - options.Gamma));
        _actionL2Scalar = _actionL2;
        _noiseSigma = (float)td3.TargetPolicyNoise;
        _noiseClip = (float)td3.TargetNoiseClip;
        _minusNoiseClip = -(float)td3.TargetNoiseClip;
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "td3";
    public string Name => LearnerName;
    public LearnerOptions Options { get; }
    public Td3Options Td3Options { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    public int InputSize => ObservationSize + GoalSize;
    public Normalizer ObservationNormalizer => _inputs.ObservationNormalizer;
    public Normalizer GoalNormalizer => _inputs.GoalNormalizer;

    /// <summary>Critic updates so far; the actor moves on those that are a multiple of the policy delay.</summary>
    public long UpdateCount => _critic1Optimizer.Steps;
    /// <summary>Actor updates so far.</summary>
    public long ActorUpdateCount => _actorOptimizer.Steps;

    /// <summary>The networks, for inspection and tests.</summary>
    public Mlp Actor => _actor;
    public Mlp ActorTarget => _actorTarget;
    public Mlp Critic1 => _critic1;
    public Mlp Critic2 => _critic2;
    public Mlp Critic1Target => _critic1Target;
    public Mlp Critic2Target => _critic2Target;

    public int Threads
    {
        get => _threads;
        set { ArgumentOutOfRangeException.ThrowIfNegative(value); _threads = value; }
    }

    public void Act(ReadOnlySpan<float> input, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        _inputs.ToBounds(_actor.forward(_inputs.ActInput(input)).tanh_(), action);
    }

    /// <summary>TD3 explores with added noise (the trainer's): the collection action is the deterministic one.</summary>
    public void Explore(ReadOnlySpan<float> input, Span<float> action) => Act(input, action);

    /// <summary>
    /// One critic step on <paramref name="batch"/>, and on every <see cref="Td3Options.PolicyDelay"/>-th call an actor
    /// step too; the targets then become due (<see cref="UpdateTargets"/> moves them).
    /// </summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        ActingStateVersion++;
        using var scope = torch.NewDisposeScope();
        var b = _inputs.Stage(batch, _noiseRng);

        // Target: y = r + gamma * (1 - terminated) * min_i Q'_i(s', clip(mu'(s') + clip(sigma * eps, -c, c), -1, 1)).
        // The smoothing makes the target an average over nearby actions, so a narrow peak of a critic is not exploited.
        Tensor target;
        using (torch.no_grad())
        {
            var noise = b.Noise!.mul(_noiseSigma).clamp_(_minusNoiseClip, _noiseClip);
            var nextActions = _actorTarget.forward(b.NextInputs).tanh_().add_(noise).clamp_(_minusOne, _one);
            var next = torch.cat([b.NextInputs, nextActions], 1);
            var nextQ = torch.minimum(_critic1Target.forward(next), _critic2Target.forward(next));
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: _one);
            if (_clipReturn) target.clamp_(_minReturn, _zero);
        }

        // Critics: both regress on the same target (SB3 sums the two losses).
        var q1 = _critic1.forward(b.InputsAndActions);
        var q2 = _critic2.forward(b.InputsAndActions);
        var criticLoss = nn.functional.mse_loss(q1, target).add_(nn.functional.mse_loss(q2, target));
        _critic1.ZeroGradients();
        _critic2.ZeroGradients();
        criticLoss.backward();
        _critic1Optimizer.Step();
        _critic2Optimizer.Step();

        // Delayed actor: climb Q1(s, pi(s)) once every policy_delay critic steps, as SB3 counts them (from 1).
        if (UpdateCount % Td3Options.PolicyDelay == 0)
        {
            _critic1.RequireGradients(false);
            try
            {
                var actions = _actor.forward(b.Inputs).tanh();
                var actorLoss = -_critic1.forward(torch.cat([b.Inputs, actions], 1)).mean();
                if (_actionL2 > 0) actorLoss = actorLoss.add((actions * actions).mean(), alpha: _actionL2Scalar);
                _actor.ZeroGradients();
                actorLoss.backward();
                _actorOptimizer.Step();
                _lastActorLoss = TensorIo.ReadScalar(actorLoss.detach());
            }
            finally
            {
                _critic1.RequireGradients(true);
            }
            _targetsDue = true;
        }

        using var noGrad = torch.no_grad();
        return new UpdateStats(TensorIo.ReadScalar(criticLoss), _lastActorLoss, TensorIo.ReadScalar(q1.mean()));
    }

    /// <summary>Polyak averaging of all three targets, only when the actor has moved since the last call (TD3's delayed targets).</summary>
    public void UpdateTargets()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_targetsDue) return;
        _targetsDue = false;
        EnsureThreadCount();
        using var noGrad = torch.no_grad();
        _actorTarget.FlatParameters.lerp_(_actor.FlatParameters, _tau);
        _critic1Target.FlatParameters.lerp_(_critic1.FlatParameters, _tau);
        _critic2Target.FlatParameters.lerp_(_critic2.FlatParameters, _tau);
    }

    public void UpdateNormalizers(ReplayBatch batch)
    {
        ActingStateVersion++;
        _inputs.UpdateNormalizers(batch);
    }

    public bool WeightsAreFinite()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var scope = torch.NewDisposeScope();
        foreach (var network in Networks())
            if (!torch.isfinite(network.FlatParameters).all().item<bool>()) return false;
        return true;
    }

    /// <summary>The six networks, the three Adam states, the normalisers, the smoothing-noise generator and the delay's position.</summary>
    public void Save(BinaryWriter writer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        writer.Write(StateHeader);
        writer.Write(StateVersion);
        writer.Write(Layout());
        foreach (var network in Networks()) TensorIo.WriteFloats(writer, network.FlatParameters);
        _actorOptimizer.Save(writer);
        _critic1Optimizer.Save(writer);
        _critic2Optimizer.Save(writer);
        _inputs.WriteState(writer);
        _noiseRng.WriteState(writer);
        writer.Write(_lastActorLoss);
        writer.Write(_targetsDue);
    }

    public void Load(BinaryReader reader)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ActingStateVersion++;
        SavedLearner.ReadPreamble(reader, "TD3", StateHeader, StateVersion, Layout());
        string[] names = ["actor", "actor target", "critic 1", "critic 2", "critic 1 target", "critic 2 target"];
        var networks = Networks();
        for (int i = 0; i < networks.Length; i++) TensorIo.ReadFloats(reader, networks[i].FlatParameters, names[i] + " parameters");
        _actorOptimizer.Load(reader, "actor");
        _critic1Optimizer.Load(reader, "critic 1");
        _critic2Optimizer.Load(reader, "critic 2");
        SavedLearner.CheckSteps(_critic2Optimizer, "critic 2", _critic1Optimizer.Steps, "every update steps both critics");
        SavedLearner.CheckSteps(_actorOptimizer, "actor", _critic1Optimizer.Steps / Td3Options.PolicyDelay,
            $"the actor steps once every {Td3Options.PolicyDelay} critic steps");
        _inputs.ReadState(reader);
        _noiseRng.ReadState(reader, "target noise generator");
        _lastActorLoss = SavedStateException.ReadSingle(reader, "last actor loss");
        _targetsDue = SavedStateException.ReadBoolean(reader, "targets due");
        FlatAdam[] optimizers = [_actorOptimizer, _actorOptimizer, _critic1Optimizer, _critic2Optimizer, _critic1Optimizer, _critic2Optimizer];
        for (int i = 0; i < networks.Length; i++) SavedLearner.CheckReachable(networks[i], names[i] + " parameters", optimizers[i]);
    }

    /// <summary>The actor as it acts now (<see cref="ILearner.ExportPolicy"/>).</summary>
    public PolicyModel ExportPolicy(bool relativeGoals, string algorithm, string environmentId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _inputs.ExportActor(_actor, _hiddenSizes, Options.Activation, relativeGoals, algorithm, environmentId);
    }

    /// <summary>Changes whenever the actor's weights or the normalisers may have changed (see <see cref="ActingPolicy"/>).</summary>
    internal long ActingStateVersion { get; private set; }

    long IActingStateSource.ActingStateVersion => ActingStateVersion;

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
        _actorOptimizer.Dispose(); _critic1Optimizer.Dispose(); _critic2Optimizer.Dispose();
        foreach (var network in Networks()) network.Dispose();
        _tau.Dispose();
        foreach (var scalar in (Scalar[])[_one, _minusOne, _zero, _minReturn, _actionL2Scalar, _noiseSigma, _noiseClip, _minusNoiseClip]) scalar.Dispose();
    }

    private Mlp[] Networks() => [_actor, _actorTarget, _critic1, _critic2, _critic1Target, _critic2Target];

    private string Layout() =>
        $"observation {ObservationSize}, goal {GoalSize}, action {ActionSize}, hidden [{string.Join(", ", _hiddenSizes)}], {Options.Activation}";

    private void EnsureThreadCount()
    {
        if (_threads > 0 && torch.get_num_threads() != _threads) torch.set_num_threads(_threads);
    }
}
