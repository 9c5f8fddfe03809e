namespace HerTools.Core.Agents;

/// <summary>What one <see cref="Ddpg.Update"/> measured.</summary>
/// <param name="CriticLoss">Mean squared TD error against the (clipped) target.</param>
/// <param name="ActorLoss">-mean Q(s, pi(s)) plus the action L2 penalty.</param>
/// <param name="MeanQ">Mean Q(s, a) over the batch, for the batch's own actions.</param>
public readonly record struct UpdateStats(float CriticLoss, float ActorLoss, float MeanQ)
{
    /// <summary>False when any figure is NaN or infinite: training has diverged and should stop.</summary>
    public bool AllFinite => float.IsFinite(CriticLoss) && float.IsFinite(ActorLoss) && float.IsFinite(MeanQ);
}
