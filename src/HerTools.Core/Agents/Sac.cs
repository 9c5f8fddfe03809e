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
public sealed class Sac : ActorCriticLearner
{
    /// <summary>SB3's bounds on the actor's log standard deviation.</summary>
    public const float LogStdMin = -20f, LogStdMax = 2f;
    /// <summary>SB3's TanhBijector epsilon in <c>log(1 - tanh(u)^2 + eps)</c>.</summary>
    public const float TanhEpsilon = 1e-6f;

    private readonly Mlp _actor, _critic1, _critic2, _critic1Target, _critic2Target;
    private readonly FlatAdam _actorOptimizer, _critic1Optimizer, _critic2Optimizer;
    private readonly FlatAdam? _entCoefOptimizer;
    private readonly Tensor _logEntCoef, _logEntCoefGradient, _fixedEntCoef;
    private readonly Rng _noiseRng, _exploreRng;
    private readonly float[] _exploreDraws;
    private readonly Tensor _exploreNoise;
    private readonly Scalar _half = 0.5, _minusHalf = -0.5, _logStdMin = LogStdMin, _logStdMax = LogStdMax, _tanhEpsilon = TanhEpsilon,
        _halfLogTwoPi = 0.5 * Math.Log(2 * Math.PI), _targetEntropy;

    public Sac(LearnerOptions options, SacOptions sac, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
        : base("SAC", "HerTools.Sac", stateVersion: 1, options, observationSize, goalSize, actionSize, actionLow, actionHigh,
            noiseWidth: 2 * actionSize, validate: () => Validate(options, sac))
    {
        SacOptions = sac;
        TargetEntropy = sac.TargetEntropy ?? -actionSize;

        using var scope = torch.NewDisposeScope();
        int critic = InputSize + actionSize;
        _actor = NewNetwork(InputSize, 2 * actionSize, "sac-actor-init");
        _critic1 = NewNetwork(critic, 1, "sac-critic1-init");
        _critic2 = NewNetwork(critic, 1, "sac-critic2-init");
        _critic1Target = NewTargetOf(_critic1);
        _critic2Target = NewTargetOf(_critic2);
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _critic1Optimizer = new FlatAdam(_critic1.FlatParameters, _critic1.FlatGradients!, options.CriticLearningRate);
        _critic2Optimizer = new FlatAdam(_critic2.FlatParameters, _critic2.FlatGradients!, options.CriticLearningRate);
        _logEntCoef = torch.tensor(new[] { (float)Math.Log(sac.EntCoef) }).DetachFromDisposeScope();
        _logEntCoefGradient = torch.zeros(1, dtype: float32).DetachFromDisposeScope();
        _fixedEntCoef = torch.tensor(new[] { (float)sac.EntCoef }).DetachFromDisposeScope();
        if (sac.AutoEntropyCoef) _entCoefOptimizer = new FlatAdam(_logEntCoef, _logEntCoefGradient, options.ActorLearningRate);
        _noiseRng = Rng.ForStream(options.Seed, "sac-update-noise");
        _exploreRng = Rng.ForStream(options.Seed, "sac-explore");
        _exploreDraws = new float[actionSize];
        _exploreNoise = torch.zeros(1, actionSize, dtype: float32).DetachFromDisposeScope();
        _targetEntropy = (float)TargetEntropy;
        Declare(_actor,
            [new("actor", _actor, _actorOptimizer), new("critic 1", _critic1, _critic1Optimizer), new("critic 2", _critic2, _critic2Optimizer),
             new("critic 1 target", _critic1Target, _critic1Optimizer, Follows: _critic1),
             new("critic 2 target", _critic2Target, _critic2Optimizer, Follows: _critic2)],
            [("actor", _actorOptimizer), ("critic 1", _critic1Optimizer), ("critic 2", _critic2Optimizer)]);
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "sac";
    public override string Name => LearnerName;
    public SacOptions SacOptions { get; }
    /// <summary>The entropy the coefficient's tuning aims for (-dim(action) unless set).</summary>
    public double TargetEntropy { get; }
    public override long UpdateCount => _critic1Optimizer.Steps;

    /// <summary>The entropy coefficient the next update will use.</summary>
    public float EntropyCoef => SacOptions.AutoEntropyCoef ? MathF.Exp(TensorIo.ReadScalar(_logEntCoef)) : (float)SacOptions.EntCoef;

    /// <summary>The networks, for inspection and tests.</summary>
    public Mlp Critic1 => _critic1;
    public Mlp Critic2 => _critic2;
    public Mlp Critic1Target => _critic1Target;
    public Mlp Critic2Target => _critic2Target;

    /// <summary>A sample of the policy, <c>tanh(mu + sigma * eps)</c>, with eps from the learner's exploration generator.</summary>
    public override void Explore(ReadOnlySpan<float> input, Span<float> action)
    {
        ThrowIfDisposed();
        EnsureThreadCount();
        using var scope = torch.NewDisposeScope();
        using var noGrad = torch.no_grad();
        for (int i = 0; i < ActionSize; i++) _exploreDraws[i] = (float)_exploreRng.NextNormal();
        _exploreNoise.bytes = MemoryMarshal.AsBytes(_exploreDraws.AsSpan());
        var actions = Sample(Inputs.ActInput(input), _exploreNoise, out _);
        Inputs.ToBounds(actions, action);
    }

    /// <summary>One step of the entropy coefficient (when tuned), of both critics and of the actor, in SB3's order.</summary>
    private protected override UpdateStats Step(LearnerInputs.StagedBatch b)
    {
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
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: One);
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

    /// <summary>The reparameterisation draws: one per action component for s, one for s', per batch row.</summary>
    private protected override Rng UpdateNoise => _noiseRng;

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
        var actions = torch.addcmul(mean, logStd.exp(), eps, value: One).tanh();
        var gaussian = eps.square().mul(_minusHalf).sub_(logStd).sub_(_halfLogTwoPi).sum(1, keepdim: true);
        var squash = actions.square().neg().add_(One).add_(_tanhEpsilon).log().sum(1, keepdim: true);
        logProb = gaussian.sub_(squash);
        return actions;
    }

    private protected override string Layout() =>
        $"networks of {base.Layout()}, " + (SacOptions.AutoEntropyCoef ? "tuned entropy coefficient" : "fixed entropy coefficient");

    private protected override void CheckOptimizerSteps()
    {
        const string everyUpdate = "every update steps the actor and both critics (and a tuned entropy coefficient)";
        SavedLearner.CheckSteps(_critic2Optimizer, "critic 2", _critic1Optimizer.Steps, everyUpdate);
        SavedLearner.CheckSteps(_actorOptimizer, "actor", _critic1Optimizer.Steps, everyUpdate);
    }

    /// <summary>After the networks' optimisers: log alpha and, when tuned, its Adam.</summary>
    private protected override void WriteOwnParameters(BinaryWriter writer)
    {
        TensorIo.WriteFloats(writer, _logEntCoef);
        _entCoefOptimizer?.Save(writer);
    }

    private protected override void ReadOwnParameters(BinaryReader reader)
    {
        TensorIo.ReadFloats(reader, _logEntCoef, "log entropy coefficient");
        _entCoefOptimizer?.Load(reader, "entropy coefficient");
        CheckEntropyCoefReachable();
    }

    /// <summary>After the normalisers: the update's and the exploration's generators.</summary>
    private protected override void WriteOwnState(BinaryWriter writer)
    {
        _noiseRng.WriteState(writer);
        _exploreRng.WriteState(writer);
    }

    private protected override void ReadOwnState(BinaryReader reader)
    {
        _noiseRng.ReadState(reader, "update noise generator");
        _exploreRng.ReadState(reader, "exploration generator");
    }

    private protected override bool OwnParametersAreFinite() => float.IsFinite(TensorIo.ReadScalar(_logEntCoef));

    private protected override void DisposeOwn()
    {
        _entCoefOptimizer?.Dispose();
        foreach (var tensor in (Tensor[])[_logEntCoef, _logEntCoefGradient, _fixedEntCoef, _exploreNoise]) tensor.Dispose();
        foreach (var scalar in (Scalar[])[_half, _minusHalf, _logStdMin, _logStdMax, _tanhEpsilon, _halfLogTwoPi, _targetEntropy]) scalar.Dispose();
    }

    // Both assume returns in [-1/(1-gamma), 0] and a deterministic tanh output; a soft value and a sampled action have neither.
    private static void Validate(LearnerOptions options, SacOptions sac)
    {
        sac.Validate();
        if (options.ClipReturn) throw new ArgumentException("SAC does not clip returns: its soft values include the entropy bonus", nameof(options));
        if (options.ActionL2 > 0) throw new ArgumentException("SAC takes no action L2 penalty: the entropy term keeps its actions spread", nameof(options));
    }
}
