using HerTools.Core.Replay;
using HerTools.Policy;

namespace HerTools.Core.Agents;

/// <summary>
/// An off-policy actor-critic over network input rows (<c>observation ++ goal</c>, built by <see cref="GoalConditionedAgent"/>):
/// <see cref="Ddpg"/>, <see cref="Td3"/> or <see cref="Sac"/>. The trainer drives every one the same way: act,
/// update on sampled batches, move the targets on its schedule, save and load for an exact resume.
/// </summary>
public interface ILearner : IDisposable
{
    /// <summary>The learner's name in configs and logs: <c>ddpg</c>, <c>td3</c>, <c>sac</c>.</summary>
    string Name { get; }
    int ObservationSize { get; }
    int GoalSize { get; }
    int ActionSize { get; }
    /// <summary>Width of a network input row: observation ++ goal.</summary>
    int InputSize { get; }

    /// <summary>Gradient updates done so far (saved with the state).</summary>
    long UpdateCount { get; }

    /// <summary>Intra-op threads applied at the start of every call (0: the thread's count is left alone).</summary>
    int Threads { get; set; }

    /// <summary>The deterministic action for one raw input row (evaluation; SAC's is its mean action).</summary>
    void Act(ReadOnlySpan<float> input, Span<float> action);

    /// <summary>
    /// The action to collect experience with, before any external action noise: the deterministic one for DDPG and
    /// TD3 (their exploration is added noise), a sample of the policy for SAC (its draws come from its own saved generator).
    /// </summary>
    void Explore(ReadOnlySpan<float> input, Span<float> action);

    /// <summary>One gradient step on a sampled batch.</summary>
    UpdateStats Update(ReplayBatch batch);

    /// <summary>Polyak averaging of the target networks, on the trainer's schedule (TD3 moves them only after an actor update).</summary>
    void UpdateTargets();

    /// <summary>Feeds the input normalisers from a sampled batch; nothing when normalisation is off.</summary>
    void UpdateNormalizers(ReplayBatch batch);

    /// <summary>True when no network parameter (nor SAC's entropy coefficient) is NaN or infinite.</summary>
    bool WeightsAreFinite();

    /// <summary>
    /// The deterministic policy as it acts now, with no learning state, for the managed acting copy and for export: the
    /// actor's weights (SAC's mean half: its log-std outputs only serve sampling), the normalisers' statistics and the
    /// action scaling, so the model's action is <see cref="Act"/>'s.
    /// </summary>
    /// <param name="relativeGoals">Whether input rows carry desired minus achieved goal (<see cref="GoalConditionedAgent"/> builds the rows).</param>
    /// <param name="algorithm">Recorded in the model, for its reader.</param>
    /// <param name="environmentId">Recorded in the model, for its reader.</param>
    PolicyModel ExportPolicy(bool relativeGoals, string algorithm, string environmentId);

    /// <summary>Everything updating depends on; a learner loaded from it updates bit-identically.</summary>
    void Save(BinaryWriter writer);
    void Load(BinaryReader reader);
}
