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
/// Hot path: batches are normalised on the CPU into reused arrays and copied into preallocated
/// tensors with one <c>bytes</c> write each; every op runs inside a dispose scope; parameters,
/// gradients and Adam moments are single flat tensors per network (see <see cref="Mlp"/>), so
/// Polyak averaging is one <c>lerp_</c> per network. Nothing allocated per call outlives the call.
/// The first learner of a process also tells the C allocator to keep freed memory for reuse
/// (<see cref="NativeHeap"/>): otherwise the update's activation buffers are unmapped and faulted
/// in again every update, which cost about 10% of an update on two threads.
/// </para>
/// </summary>
public sealed class Ddpg : ActorCriticLearner
{
    private readonly Mlp _actor, _critic, _actorTarget, _criticTarget;
    private readonly FlatAdam _actorOptimizer, _criticOptimizer;
    private readonly float _actionL2;
    private readonly bool _clipReturn;
    private readonly Scalar _minReturn, _actionL2Scalar;

    /// <summary>The networks, initialised from the seed's <c>ddpg-actor-init</c> and <c>ddpg-critic-init</c> streams;
    /// the parameters are <see cref="ActorCriticLearner"/>'s.</summary>
    public Ddpg(LearnerOptions options, int observationSize, int goalSize, int actionSize, float[] actionLow, float[] actionHigh)
        : base("DDPG", "HerTools.Ddpg", stateVersion: 1, options, observationSize, goalSize, actionSize, actionLow, actionHigh)
    {
        _actionL2 = (float)options.ActionL2;
        _clipReturn = options.ClipReturn;
        _minReturn = (float)(-1.0 / (1.0 - options.Gamma));
        _actionL2Scalar = _actionL2;

        using var scope = torch.NewDisposeScope();
        _actor = NewNetwork(InputSize, actionSize, "ddpg-actor-init");
        _critic = NewNetwork(InputSize + actionSize, 1, "ddpg-critic-init");
        _actorTarget = NewTargetOf(_actor);
        _criticTarget = NewTargetOf(_critic);
        _actorOptimizer = new FlatAdam(_actor.FlatParameters, _actor.FlatGradients!, options.ActorLearningRate);
        _criticOptimizer = new FlatAdam(_critic.FlatParameters, _critic.FlatGradients!, options.CriticLearningRate);
        Declare(_actor,
            [new("actor", _actor, _actorOptimizer), new("critic", _critic, _criticOptimizer),
             new("actor target", _actorTarget, _actorOptimizer, Follows: _actor),
             new("critic target", _criticTarget, _criticOptimizer, Follows: _critic)],
            [("actor", _actorOptimizer), ("critic", _criticOptimizer)]);
    }

    /// <summary>The learner's name in configs and logs.</summary>
    public const string LearnerName = "ddpg";
    public override string Name => LearnerName;

    /// <summary>Gradient updates done so far (saved and loaded with the state).</summary>
    public override long UpdateCount => _criticOptimizer.Steps;

    /// <summary>The online networks' and their targets, for inspection and tests; <see cref="ActorCriticLearner.Update"/> and
    /// <see cref="ActorCriticLearner.UpdateTargets"/> change them.</summary>
    public Mlp Critic => _critic;
    public Mlp ActorTarget => _actorTarget;
    public Mlp CriticTarget => _criticTarget;

    /// <summary>
    /// One gradient step of the critic and then of the actor on the batch. Targets are
    /// not moved: call <see cref="ActorCriticLearner.UpdateTargets"/> on the schedule the trainer chooses.
    /// </summary>
    private protected override UpdateStats Step(LearnerInputs.StagedBatch b)
    {
        // Target: y = r + gamma * (1 - terminated) * Q'(s', mu'(s')), clipped to the range returns can take.
        Tensor target;
        using (torch.no_grad())
        {
            var nextActions = _actorTarget.forward(b.NextInputs).tanh_();
            var nextQ = _criticTarget.forward(torch.cat([b.NextInputs, nextActions], 1));
            target = torch.addcmul(b.Rewards, b.Discounts, nextQ, value: One);
            if (_clipReturn) target.clamp_(_minReturn, Zero);
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

    private protected override void CheckOptimizerSteps() =>
        SavedLearner.CheckSteps(_actorOptimizer, "actor", _criticOptimizer.Steps, "every update steps both");

    private protected override void DisposeOwn()
    {
        _minReturn.Dispose();
        _actionL2Scalar.Dispose();
    }
}
