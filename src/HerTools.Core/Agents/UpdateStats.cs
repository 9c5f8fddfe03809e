namespace HerTools.Core.Agents;

/// <summary>What one learner update (<see cref="ILearner.Update"/>) measured.</summary>
/// <param name="CriticLoss">Mean squared TD error against the target (TD3 and SAC: summed over their two critics as they minimise it).</param>
/// <param name="ActorLoss">The actor's loss at its latest update (TD3 updates it every <c>policy_delay</c> steps; 0 before the first).</param>
/// <param name="MeanQ">Mean Q(s, a) over the batch, for the batch's own actions (the first critic's).</param>
/// <param name="EntropyCoef">SAC: the entropy coefficient alpha this update used; null for the other learners.</param>
/// <param name="ActorLogProb">SAC: mean log-probability of the policy's sampled actions (tanh-corrected); null for the others.</param>
public readonly record struct UpdateStats(float CriticLoss, float ActorLoss, float MeanQ, float? EntropyCoef = null, float? ActorLogProb = null)
{
    /// <summary>False when any figure is NaN or infinite: training has diverged and should stop.</summary>
    public bool AllFinite => float.IsFinite(CriticLoss) && float.IsFinite(ActorLoss) && float.IsFinite(MeanQ)
        && float.IsFinite(EntropyCoef ?? 0f) && float.IsFinite(ActorLogProb ?? 0f);
}
