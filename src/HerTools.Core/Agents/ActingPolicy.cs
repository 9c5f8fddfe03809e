using HerTools.Policy;

namespace HerTools.Core.Agents;

/// <summary>
/// A learner's actor as a managed <see cref="GoalPolicy"/>, for acting: a single-row forward pass through
/// TorchSharp pays a dispatch cost per op that dwarfs the arithmetic of a small network, and the managed pass
/// gives each row the same result alone or in a batch, which batched evaluation relies on. The copy refreshes
/// itself (weights and normaliser statistics) the first time it is used after the learner changed.
/// </summary>
internal sealed class ActingPolicy
{
    private readonly IActingStateSource _learner;
    private readonly PolicyModel _model;
    private readonly GoalPolicy _policy;
    private long _version;

    public ActingPolicy(IActingStateSource learner, bool relativeGoals)
    {
        _learner = learner;
        _model = learner.ExportPolicy(relativeGoals, "", "");
        _policy = new GoalPolicy(_model);
        _version = learner.ActingStateVersion;
    }

    /// <summary>The policy with the learner's current weights and statistics.</summary>
    public GoalPolicy Current
    {
        get
        {
            if (_version != _learner.ActingStateVersion)
            {
                _learner.CopyActingStateTo(_model);
                _version = _learner.ActingStateVersion;
            }
            return _policy;
        }
    }
}
