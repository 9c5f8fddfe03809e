using HerTools.Core.Envs;
using HerTools.Core.Replay;

namespace HerTools.Core.Agents;

/// <summary>
/// The goal-conditioned algorithm: a thin wrapper over <see cref="Ddpg"/> that flattens dict observations
/// into <c>observation ++ desired_goal</c> for the networks (or <c>observation ++ (desired_goal - achieved_goal)</c>
/// with <see cref="DdpgOptions.RelativeGoals"/>) and feeds the normalisers from sampled (relabeled) batches.
/// Relabeling itself lives in the <see cref="HerReplayBuffer"/>. This is the one place that knows how a dict
/// observation becomes a network input row, for acting and for learning alike.
/// </summary>
public sealed class Her : IGoalPolicy, IDisposable
{
    private readonly float[] _input;
    private readonly int _observationSize;
    private readonly int _goalSize;
    private readonly bool _normalize;
    private readonly bool _relativeGoals;

    public Her(DdpgOptions options, int observationSize, int goalSize, Box actionSpace)
    {
        _observationSize = observationSize;
        _goalSize = goalSize;
        _input = new float[observationSize + goalSize];
        _normalize = options.Normalize;
        _relativeGoals = options.RelativeGoals;
        Learner = new Ddpg(options, observationSize, goalSize, actionSpace.Size, actionSpace.Low, actionSpace.High);
    }

    public Ddpg Learner { get; }

    /// <summary>The deterministic action for a dict observation.</summary>
    public void Act(GoalObservation observation, Span<float> action)
    {
        ArgumentNullException.ThrowIfNull(observation);
        observation.Observation.CopyTo(_input, 0);
        observation.DesiredGoal.CopyTo(_input, _observationSize);
        if (_relativeGoals) SubtractInPlace(_input.AsSpan(_observationSize, _goalSize), observation.AchievedGoal);
        Learner.Act(_input, action);
    }

    /// <summary>
    /// One gradient step on a sampled batch; the goal statistics see its relabeled goals first. With relative goals
    /// the batch's goal columns are turned into <c>goal - achieved goal</c> (at t and at t+1) in place first, so the
    /// normalisers and the networks both see what the policy sees when it acts.
    /// </summary>
    public UpdateStats Update(ReplayBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_relativeGoals) MakeGoalsRelative(batch);
        if (_normalize) Learner.UpdateNormalizers(batch);
        return Learner.Update(batch);
    }

    private void MakeGoalsRelative(ReplayBatch batch)
    {
        int inputSize = _observationSize + _goalSize;
        for (int r = 0; r < batch.Count; r++)
        {
            SubtractInPlace(batch.Inputs.AsSpan(r * inputSize + _observationSize, _goalSize), batch.AchievedGoals.AsSpan(r * _goalSize, _goalSize));
            SubtractInPlace(batch.NextInputs.AsSpan(r * inputSize + _observationSize, _goalSize), batch.NextAchievedGoals.AsSpan(r * _goalSize, _goalSize));
        }
    }

    private static void SubtractInPlace(Span<float> goal, ReadOnlySpan<float> achieved)
    {
        for (int i = 0; i < goal.Length; i++) goal[i] -= achieved[i];
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
