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
public sealed class Td3 : ActorCriticLearner
{
    private readonly Mlp _actor, _actorTarget, _critic1, _critic2, _critic1Target, _critic2Target;
    private readonly FlatAdam _actorOptimizer, _critic1Optimizer, _critic2Optimizer;
    private readonly Rng _noiseRng;
    private readonly bool _clipReturn;
    private readonly float _actionL2;
    private readonly Scalar _minusOne = -1, _minReturn, _actionL2Scalar, _noiseSigma, _noiseClip, _minusNoiseClip;
    private float _lastActorLoss;
    private bool _targetsDue;

    public Td3(LearnerOptions options, Td3Options td3, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
        : base("TD3", "HerTools.Td3", stateVersion: 1, options, observationSize, goalSize, actionSize, actionLow, actionHigh,
            noiseWidth: actionSize, validate: td3.Validate)
    {
        Td3Options = td3;
        _clipReturn = options.ClipReturn;
        _actionL2 = (float)options.ActionL2;

        using var scope = torch.NewDisposeScope();
        int critic = InputSize + actionSize;
        _actor = NewNetwork(InputSize, actionSize, "td3-actor-init");
        _critic1 = NewNetwork(critic, 1, "td3-critic1-init");
        _critic2 = NewNetwork(critic, 1, "td3-critic2-init");
        _actorTarget = NewTargetOf(_actor);
        _critic1Target = NewTargetOf(_critic1);
        _critic2Target = NewTargetOf(_critic2);
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _critic1Optimizer = new FlatAdam(_critic1.FlatParameters, _critic1.FlatGradients!, options.CriticLearningRate);
        _critic2Optimizer = new FlatAdam(_critic2.FlatParameters, _critic2.FlatGradients!, options.CriticLearningRate);
        _noiseRng = Rng.ForStream(options.Seed, "td3-target-noise");
        _minReturn = (float)(-1.0 / (1.0 - options.Gamma));
        _actionL2Scalar = _actionL2;
        _noiseSigma = (float)td3.TargetPolicyNoise;
        _noiseClip = (float)td3.TargetNoiseClip;
        _minusNoiseClip = -(float)td3.TargetNoiseClip;
        Declare(_actor,
            [new("actor", _actor, _actorOptimizer), new("actor target", _actorTarget, _actorOptimizer, Follows: _actor),
             new("critic 1", _critic1, _critic1Optimizer), new("critic 2", _critic2, _critic2Optimizer),
             new("critic 1 target", _critic1Target, _critic1Optimizer, Follows: _critic1),
             new("critic 2 target", _critic2Target, _critic2Optimizer, Follows: _critic2)],
            [("actor", _actorOptimizer), ("critic 1", _critic1Optimizer), ("critic 2", _critic2Optimizer)]);
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "td3";
    public override string Name => LearnerName;
    public Td3Options Td3Options { get; }

    /// <summary>Critic updates so far; the actor moves on those that are a multiple of the policy delay.</summary>
    public override long UpdateCount => _critic1Optimizer.Steps;
    /// <summary>Actor updates so far.</summary>
    public long ActorUpdateCount => _actorOptimizer.Steps;

    /// <summary>The networks, for inspection and tests.</summary>
    public Mlp ActorTarget => _actorTarget;
    public Mlp Critic1 => _critic1;
    public Mlp Critic2 => _critic2;
    public Mlp Critic1Target => _critic1Target;
    public Mlp Critic2Target => _critic2Target;

    /// <summary>
    /// One critic step on the batch, and on every <see cref="Td3Options.PolicyDelay"/>-th call an actor
    /// step too; the targets then become due (<see cref="ActorCriticLearner.UpdateTargets"/> moves them).
    /// </summary>
    private protected override UpdateStats Step(LearnerInputs.StagedBatch b)
    {
        // Target: y = r + gamma * (1 - terminated) * min_i Q'_i(s', clip(mu'(s') + clip(sigma * eps, -c, c), -1, 1)).
        // The smoothing makes the target an average over nearby actions, so a narrow peak of a critic is not exploited.
        Tensor target;
        using (torch.no_grad())
        {
            var noise = b.Noise!.mul(_noiseSigma).clamp_(_minusNoiseClip, _noiseClip);
            var nextActions = _actorTarget.forward(b.NextInputs).tanh_().add_(noise).clamp_(_minusOne, One);
            var next = torch.cat([b.NextInputs, nextActions], 1);
            var nextQ = torch.minimum(_critic1Target.forward(next), _critic2Target.forward(next));
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: One);
            if (_clipReturn) target.clamp_(_minReturn, Zero);
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

    /// <summary>The smoothing noise, one draw per action component and batch row.</summary>
    private protected override Rng UpdateNoise => _noiseRng;

    /// <summary>TD3's delayed targets: they move only when the actor has moved since the last call.</summary>
    private protected override bool TakeTargetsDue()
    {
        bool due = _targetsDue;
        _targetsDue = false;
        return due;
    }

    private protected override void CheckOptimizerSteps()
    {
        SavedLearner.CheckSteps(_critic2Optimizer, "critic 2", _critic1Optimizer.Steps, "every update steps both critics");
        SavedLearner.CheckSteps(_actorOptimizer, "actor", _critic1Optimizer.Steps / Td3Options.PolicyDelay,
            $"the actor steps once every {Td3Options.PolicyDelay} critic steps");
    }

    /// <summary>After the normalisers: the smoothing-noise generator and the delay's position.</summary>
    private protected override void WriteOwnState(BinaryWriter writer)
    {
        _noiseRng.WriteState(writer);
        writer.Write(_lastActorLoss);
        writer.Write(_targetsDue);
    }

    private protected override void ReadOwnState(BinaryReader reader)
    {
        _noiseRng.ReadState(reader, "target noise generator");
        _lastActorLoss = SavedStateException.ReadSingle(reader, "last actor loss");
        _targetsDue = SavedStateException.ReadBoolean(reader, "targets due");
    }

    private protected override void DisposeOwn()
    {
        foreach (var scalar in (Scalar[])[_minusOne, _minReturn, _actionL2Scalar, _noiseSigma, _noiseClip, _minusNoiseClip]) scalar.Dispose();
    }
}
