using System.Runtime.InteropServices;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using HerTools.Policy;
using TorchSharp;
using static TorchSharp.torch;

namespace HerTools.Core.Agents;

/// <summary>
/// SAC (Haarnoja et al. 2018, with automatic entropy tuning): a tanh-squashed Gaussian actor, twin critics whose
/// minimum is the soft target, and an entropy coefficient alpha tuned so the policy's entropy tracks a target
/// (<see cref="SacOptions"/>). Evaluation acts with the mean action, <c>tanh(mu(s))</c>. The update follows
/// Stable-Baselines3's <c>sac.py</c> in order and scale (entropy coefficient, then critics with half the summed
/// losses, then actor; log-std clamped to [-20, 2]; the tanh correction's 1e-6), as CleanRL's
/// <c>sac_continuous_action.py</c> lays it out.
/// <para>
/// The actor is one flat-parameter <see cref="Mlp"/> whose output row is <c>mean ++ log_std</c> (SB3's two heads on a
/// shared trunk). The Gaussian draws, for the batch (s and s') and for exploration, come from the learner's own
/// generators on the CPU and are staged with the batch in the same copy, so they are saved with the learner.
/// The coefficient's loss <c>-(log alpha * (log pi + target)).mean()</c> has the gradient
/// <c>-mean(log pi + target)</c> with respect to log alpha: it is written directly and stepped by a one-value
/// <see cref="FlatAdam"/> at the actor's learning rate (SB3's choice), with no autograd graph.
/// </para>
/// </summary>
public sealed class Sac : ILearner, IActingStateSource
{
    private const string StateHeader = "HerTools.Sac";
    private const int StateVersion = 1;
    /// <summary>SB3's bounds on the actor's log standard deviation.</summary>
    public const float LogStdMin = -20f, LogStdMax = 2f;
    /// <summary>SB3's TanhBijector epsilon in <c>log(1 - tanh(u)^2 + eps)</c>.</summary>
    public const float TanhEpsilon = 1e-6f;

    private readonly LearnerInputs _inputs;
    private readonly Mlp _actor, _critic1, _critic2, _critic1Target, _critic2Target;
    private readonly FlatAdam _actorOptimizer, _critic1Optimizer, _critic2Optimizer;
    private readonly FlatAdam? _entCoefOptimizer;
    private readonly Tensor _logEntCoef, _logEntCoefGradient, _fixedEntCoef;
    private readonly Rng _noiseRng, _exploreRng;
    private readonly int[] _hiddenSizes;
    private readonly Tensor _tau;
    private readonly float[] _exploreDraws;
    private readonly Tensor _exploreNoise;
    private readonly Scalar _one = 1, _half = 0.5, _minusHalf = -0.5, _logStdMin = LogStdMin, _logStdMax = LogStdMax, _tanhEpsilon = TanhEpsilon,
        _halfLogTwoPi = 0.5 * Math.Log(2 * Math.PI), _targetEntropy;
    private int _threads;
    private bool _disposed;

    public Sac(LearnerOptions options, SacOptions sac, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
    {
        options.Validate();
        sac.Validate();
        // Both assume returns in [-1/(1-gamma), 0] and a deterministic tanh output; a soft value and a sampled action have neither.
        if (options.ClipReturn) throw new ArgumentException("SAC does not clip returns: its soft values include the entropy bonus", nameof(options));
        if (options.ActionL2 > 0) throw new ArgumentException("SAC takes no action L2 penalty: the entropy term keeps its actions spread", nameof(options));
        _inputs = new LearnerInputs(options, observationSize, goalSize, actionSize, actionLow, actionHigh, noiseWidth: 2 * actionSize);
        Options = options; SacOptions = sac;
        ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        TargetEntropy = sac.TargetEntropy ?? -actionSize;
        _hiddenSizes = [.. options.HiddenSizes];
        _threads = options.Threads;
        EnsureThreadCount();
        NativeHeap.KeepFreedMemory();

        using var scope = torch.NewDisposeScope();
        int input = observationSize + goalSize, critic = input + actionSize;
        _actor = new Mlp(input, _hiddenSizes, 2 * actionSize, options.Activation, Rng.ForStream(options.Seed, "sac-actor-init"));
        _critic1 = new Mlp(critic, _hiddenSizes, 1, options.Activation, Rng.ForStream(options.Seed, "sac-critic1-init"));
        _critic2 = new Mlp(critic, _hiddenSizes, 1, options.Activation, Rng.ForStream(options.Seed, "sac-critic2-init"));
        _critic1Target = new Mlp(critic, _hiddenSizes, 1, options.Activation, initRng: null, trainable: false);
        _critic2Target = new Mlp(critic, _hiddenSizes, 1, options.Activation, initRng: null, trainable: false);
        using (torch.no_grad())
        {
            _critic1Target.FlatParameters.copy_(_critic1.FlatParameters);
            _critic2Target.FlatParameters.copy_(_critic2.FlatParameters);
        }
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _critic1Optimizer = new FlatAdam(_critic1.FlatParameters, _critic1.FlatGradients!, options.CriticLearningRate);
        _critic2Optimizer = new FlatAdam(_critic2.FlatParameters, _critic2.FlatGradients!, options.CriticLearningRate);
        _logEntCoef = torch.tensor(new[] { (float)Math.Log(sac.EntCoef) }).DetachFromDisposeScope();
        _logEntCoefGradient = torch.zeros(1, dtype: float32).DetachFromDisposeScope();
        _fixedEntCoef = torch.tensor(new[] { (float)sac.EntCoef }).DetachFromDisposeScope();
        if (sac.AutoEntropyCoef) _entCoefOptimizer = new FlatAdam(_logEntCoef, _logEntCoefGradient, options.ActorLearningRate);
        _noiseRng = Rng.ForStream(options.Seed, "sac-update-noise");
        _exploreRng = Rng.ForStream(options.Seed, "sac-explore");
        _tau = torch.tensor((float)options.Tau).DetachFromDisposeScope();
        _exploreDraws = new float[actionSize];
        _exploreNoise = torch.zeros(1, actionSize, dtype: float32).DetachFromDisposeScope();
        _targetEntropy = (float)TargetEntropy;
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "sac";
    public string Name => LearnerName;
    public LearnerOptions Options { get; }
    public SacOptions SacOptions { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    public int InputSize => ObservationSize + GoalSize;
    /// <summary>The entropy the coefficient's tuning aims for (-dim(action) unless set).</summary>
    public double TargetEntropy { get; }
    public Normalizer ObservationNormalizer => _inputs.ObservationNormalizer;
    public Normalizer GoalNormalizer => _inputs.GoalNormalizer;
    public long UpdateCount => _critic1Optimizer.Steps;

    /// <summary>The entropy coefficient the next update will use.</summary>
    public float EntropyCoef => SacOptions.AutoEntropyCoef ? MathF.Exp(TensorIo.ReadScalar(_logEntCoef)) : (float)SacOptions.EntCoef;

    /// <summary>The networks, for inspection and tests.</summary>
    public Mlp Actor => _actor;
    public Mlp Critic1 => _critic1;
    public Mlp Critic2 => _critic2;
    public Mlp Critic1Target => _critic1Target;
    public Mlp Critic2Target => _critic2Target;

    public int Threads
    {
        get => _threads;
        set { ArgumentOutOfRangeException.ThrowIfNegative(value); _threads = value; }
    }

    /// <summary>The mean action <c>tanh(mu(s))</c>, within the action bounds.</summary>
    public void Act(ReadOnlySpan<float> input, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        var output = _actor.forward(_inputs.ActInput(input));
        _inputs.ToBounds(output.narrow(1, 0, ActionSize).tanh(), action);
    }

    /// <summary>A sample of the policy, <c>tanh(mu + sigma * eps)</c>, with eps from the learner's exploration generator.</summary>
    public void Explore(ReadOnlySpan<float> input, Span<float> action)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (int i = 0; i < ActionSize; i++) _exploreDraws[i] = (float)_exploreRng.NextNormal();
        _exploreNoise.bytes = MemoryMarshal.AsBytes(_exploreDraws.AsSpan());
        var actions = Sample(_inputs.ActInput(input), _exploreNoise, out _);
        _inputs.ToBounds(actions, action);
    }

    /// <summary>One step of the entropy coefficient (when tuned), of both critics and of the actor, in SB3's order.</summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        ActingStateVersion++;
        using var scope = torch.NewDisposeScope();
        var b = _inputs.Stage(batch, _noiseRng);
        var noise = b.Noise!.narrow(1, 0, ActionSize);
        var nextNoise = b.Noise!.narrow(1, ActionSize, ActionSize);

        // Policy sample at s, reparameterised; its graph is kept for the actor loss.
        var actionsPi = Sample(b.Inputs, noise, out var logProb);

        // Entropy coefficient: alpha is read before its step and used throughout this update (as SB3 does).
        Tensor alpha;
        if (_entCoefOptimizer is not null)
        {
            alpha = _logEntCoef.exp();
            using (torch.no_grad()) _logEntCoefGradient.copy_(logProb.detach().add(_targetEntropy).mean().neg().reshape(1));
            _entCoefOptimizer.Step();
        }
        else alpha = _fixedEntCoef;

        // Soft target: y = r + gamma * (1 - terminated) * (min_i Q'_i(s', a') - alpha * log pi(a'|s')), a' ~ pi(s').
        Tensor target;
        using (torch.no_grad())
        {
            var nextActions = Sample(b.NextInputs, nextNoise, out var nextLogProb);
            var next = torch.cat([b.NextInputs, nextActions], 1);
            var nextQ = torch.minimum(_critic1Target.forward(next), _critic2Target.forward(next)).sub_(nextLogProb.mul_(alpha));
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: _one);
        }

        // Critics: half the summed squared errors, as SB3.
        var q1 = _critic1.forward(b.InputsAndActions);
        var q2 = _critic2.forward(b.InputsAndActions);
        var criticLoss = nn.functional.mse_loss(q1, target).add_(nn.functional.mse_loss(q2, target)).mul_(_half);
        _critic1.ZeroGradients();
        _critic2.ZeroGradients();
        criticLoss.backward();
        _critic1Optimizer.Step();
        _critic2Optimizer.Step();

        // Actor: minimise alpha * log pi(a|s) - min_i Q_i(s, a) through the updated critics, whose weights stay out of it.
        Tensor actorLoss;
        _critic1.RequireGradients(false);
        _critic2.RequireGradients(false);
        try
        {
            var inputsAndPi = torch.cat([b.Inputs, actionsPi], 1);
            var minQ = torch.minimum(_critic1.forward(inputsAndPi), _critic2.forward(inputsAndPi));
            actorLoss = logProb.mul(alpha).sub_(minQ).mean();
            _actor.ZeroGradients();
            actorLoss.backward();
            _actorOptimizer.Step();
        }
        finally
        {
            _critic1.RequireGradients(true);
            _critic2.RequireGradients(true);
        }

        using var noGrad = torch.no_grad();
        return new UpdateStats(TensorIo.ReadScalar(criticLoss), TensorIo.ReadScalar(actorLoss), TensorIo.ReadScalar(q1.mean()),
            EntropyCoef: TensorIo.ReadScalar(alpha), ActorLogProb: TensorIo.ReadScalar(logProb.mean()));
    }

    /// <summary>Polyak averaging of the two critic targets (SAC's actor has no target).</summary>
    public void UpdateTargets()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        EnsureThreadCount();
        using var noGrad = torch.no_grad();
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
        return float.IsFinite(TensorIo.ReadScalar(_logEntCoef));
    }

    /// <summary>The five networks, the Adam states (the entropy coefficient's included), log alpha, the normalisers and both generators.</summary>
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
        TensorIo.WriteFloats(writer, _logEntCoef);
        _entCoefOptimizer?.Save(writer);
        _inputs.WriteState(writer);
        _noiseRng.WriteState(writer);
        _exploreRng.WriteState(writer);
    }

    public void Load(BinaryReader reader)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ActingStateVersion++;
        SavedLearner.ReadPreamble(reader, "SAC", StateHeader, StateVersion, Layout());
        string[] names = ["actor", "critic 1", "critic 2", "critic 1 target", "critic 2 target"];
        var networks = Networks();
        for (int i = 0; i < networks.Length; i++) TensorIo.ReadFloats(reader, networks[i].FlatParameters, names[i] + " parameters");
        _actorOptimizer.Load(reader, "actor");
        _critic1Optimizer.Load(reader, "critic 1");
        _critic2Optimizer.Load(reader, "critic 2");
        const string everyUpdate = "every update steps the actor and both critics (and a tuned entropy coefficient)";
        SavedLearner.CheckSteps(_critic2Optimizer, "critic 2", _critic1Optimizer.Steps, everyUpdate);
        SavedLearner.CheckSteps(_actorOptimizer, "actor", _critic1Optimizer.Steps, everyUpdate);
        TensorIo.ReadFloats(reader, _logEntCoef, "log entropy coefficient");
        _entCoefOptimizer?.Load(reader, "entropy coefficient");
        CheckEntropyCoefReachable();
        _inputs.ReadState(reader);
        _noiseRng.ReadState(reader, "update noise generator");
        _exploreRng.ReadState(reader, "exploration generator");
        FlatAdam[] optimizers = [_actorOptimizer, _critic1Optimizer, _critic2Optimizer, _critic1Optimizer, _critic2Optimizer];
        for (int i = 0; i < networks.Length; i++) SavedLearner.CheckReachable(networks[i], names[i] + " parameters", optimizers[i]);
    }

    // log alpha starts at log(ent_coef) and only its Adam moves it, by at most MaxStepPerLearningRate learning rates a step.
    private void CheckEntropyCoefReachable()
    {
        const string field = "log entropy coefficient";
        float start = (float)Math.Log(SacOptions.EntCoef), saved = TensorIo.ReadScalar(_logEntCoef);
        if (_entCoefOptimizer is null)
        {
            if (saved != start) throw new SavedStateException(field, $"{saved:R}, but the coefficient is fixed at log({SacOptions.EntCoef:R}) = {start:R}");
            return;
        }
        SavedLearner.CheckSteps(_entCoefOptimizer, "entropy coefficient", _critic1Optimizer.Steps, "every update steps a tuned coefficient");
        double bound = FlatAdam.MaxStepPerLearningRate * _entCoefOptimizer.LearningRate * _entCoefOptimizer.Steps;
        if (Math.Abs(saved - start) > bound * (1 + 1e-5) + 1e-6)
            throw new SavedStateException(field, $"{saved:R} lies further than {bound:G4} from its start {start:R}, which "
                + $"{_entCoefOptimizer.Steps} Adam steps at learning rate {_entCoefOptimizer.LearningRate:G4} cannot reach");
    }

    /// <summary>The mean action's policy (<see cref="ILearner.ExportPolicy"/>): the actor's mean half, through tanh and the action scaling.</summary>
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
        _actorOptimizer.Dispose(); _critic1Optimizer.Dispose(); _critic2Optimizer.Dispose(); _entCoefOptimizer?.Dispose();
        foreach (var network in Networks()) network.Dispose();
        foreach (var tensor in (Tensor[])[_logEntCoef, _logEntCoefGradient, _fixedEntCoef, _tau, _exploreNoise]) tensor.Dispose();
        foreach (var scalar in (Scalar[])[_one, _half, _minusHalf, _logStdMin, _logStdMax, _tanhEpsilon, _halfLogTwoPi, _targetEntropy]) scalar.Dispose();
    }

    /// <summary>
    /// <c>a = tanh(mu + sigma * eps)</c> in unit space, and <c>log pi(a|s)</c> per row: the Gaussian's log-density of
    /// <c>u = mu + sigma * eps</c>, which is <c>-eps^2/2 - log sigma - log(2 pi)/2</c> per component, minus the tanh
    /// change of variables <c>log(1 - tanh(u)^2 + 1e-6)</c>, both summed over the action's components.
    /// </summary>
    private Tensor Sample(Tensor inputs, Tensor eps, out Tensor logProb)
    {
        var output = _actor.forward(inputs);
        var mean = output.narrow(1, 0, ActionSize);
        var logStd = output.narrow(1, ActionSize, ActionSize).clamp(_logStdMin, _logStdMax);
        var actions = torch.addcmul(mean, logStd.exp(), eps, value: _one).tanh();
        var gaussian = eps.square().mul(_minusHalf).sub_(logStd).sub_(_halfLogTwoPi).sum(1, keepdim: true);
        var squash = actions.square().neg().add_(_one).add_(_tanhEpsilon).log().sum(1, keepdim: true);
        logProb = gaussian.sub_(squash);
        return actions;
    }

    private Mlp[] Networks() => [_actor, _critic1, _critic2, _critic1Target, _critic2Target];

    private string Layout() =>
        $"networks of observation {ObservationSize}, goal {GoalSize}, action {ActionSize}, hidden [{string.Join(", ", _hiddenSizes)}], {Options.Activation}, "
        + (SacOptions.AutoEntropyCoef ? "tuned entropy coefficient" : "fixed entropy coefficient");

    private void EnsureThreadCount()
    {
        if (_threads > 0 && torch.get_num_threads() != _threads) torch.set_num_threads(_threads);
    }
}
