using HerTools.Core.Envs;
using HerTools.Core.Replay;
using HerTools.Core.Training;

namespace HerTools.Core.Agents;

/// <summary>
/// The goal-conditioned algorithm: a thin wrapper over <see cref="Ddpg"/> that flattens dict observations
/// into <c>observation ++ desired_goal</c> for the networks and feeds the normalisers from sampled
/// (relabeled) batches. Relabeling itself lives in the <see cref="HerReplayBuffer"/>.
/// </summary>
public sealed class Her : IGoalPolicy, IDisposable
{
    private readonly float[] _input;
    private readonly int _observationSize;
    private readonly bool _normalize;

    public Her(AlgorithmSpec algorithm, DdpgOptions options, int observationSize, int goalSize, Box actionSpace)
    {
        Algorithm = algorithm;
        _observationSize = observationSize;
        _input = new float[observationSize + goalSize];
        _normalize = options.Normalize;
        Learner = new Ddpg(options, observationSize, goalSize, actionSpace.Size, actionSpace.Low, actionSpace.High);
    }

    public AlgorithmSpec Algorithm { get; }
    public Ddpg Learner { get; }

    /// <summary>The deterministic action for a dict observation.</summary>
    public void Act(GoalObservation observation, Span<float> action)
    {
        observation.Observation.CopyTo(_input, 0);
        observation.DesiredGoal.CopyTo(_input, _observationSize);
        Learner.Act(_input, action);
    }

    public void Act(ReadOnlySpan<float> observationAndGoal, Span<float> action) => Learner.Act(observationAndGoal, action);

    /// <summary>One gradient step on a sampled batch; the goal statistics see its relabeled goals first.</summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        if (_normalize) Learner.UpdateNormalizers(batch);
        return Learner.Update(batch);
    }

    public void UpdateTargets() => Learner.UpdateTargets();
    public bool WeightsAreFinite() => Learner.WeightsAreFinite();
    public void Save(Stream stream)
    {
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Learner.Save(writer);
    }

    public void Load(Stream stream)
    {
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        Learner.Load(reader);
    }
    public void Dispose() => Learner.Dispose();
}
