using HerTools.Policy;

namespace HerTools.Core.Agents;

/// <summary>
/// A learner whose actor <see cref="ActingPolicy"/> keeps a managed copy of: it counts the changes to what acting
/// depends on (the actor's weights, the normalisers) and copies them into the model its <see cref="ILearner.ExportPolicy"/> made.
/// </summary>
internal interface IActingStateSource : ILearner
{
    /// <summary>Changes whenever the actor's weights or the normalisers may have changed (update, normaliser update, load).</summary>
    long ActingStateVersion { get; }

    /// <summary>Copies the actor's current weights and the normalisers' statistics into <paramref name="model"/>, made by
    /// <see cref="ILearner.ExportPolicy"/>.</summary>
    void CopyActingStateTo(PolicyModel model);
}
