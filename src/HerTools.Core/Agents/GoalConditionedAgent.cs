using HerTools.Core.Envs;
using HerTools.Core.Replay;
using HerTools.Policy;

namespace HerTools.Core.Agents;

/// <summary>
/// The goal-conditioned algorithm: a thin wrapper over a learner (<see cref="Ddpg"/>, <see cref="Td3"/> or <see cref="Sac"/>, as
/// the algorithm's learner names it) that flattens dict observations
/// into <c>observation ++ desired_goal</c> for the networks (or <c>observation ++ (desired_goal - achieved_goal)</c>
/// with <see cref="LearnerOptions.RelativeGoals"/>) and feeds the normalisers from sampled (relabeled) batches.
/// Relabeling itself lives in the <see cref="HerReplayBuffer"/>. This is the one place that knows how a dict
/// observation becomes a network input row, for acting and for learning alike. Acting runs the actor's managed copy
/// (<see cref="ActingPolicy"/>), refreshed after every update; learning runs on TorchSharp.
/// </summary>
public sealed class GoalConditionedAgent : IBatchGoalPolicy, IDisposable
{
    private float[] _input;
    private readonly int _observationSize;
    private readonly int _goalSize;
    private readonly bool _normalize;
    private readonly bool _relativeGoals;

    /// <param name="options">The settings every learner shares (networks, optimisers, normalisation, relative goals).</param>
    /// <param name="observationSize">Width of the observation.</param>
    /// <param name="goalSize">Width of a goal.</param>
    /// <param name="actionSpace">The environment's action bounds.</param>
    /// <param name="td3">TD3's own settings (defaults when null); used only when the learner is TD3.</param>
    /// <param name="sac">SAC's own settings (defaults when null); used only when the learner is SAC.</param>
    /// <param name="learner">The learner: <c>ddpg</c>, <c>td3</c> or <c>sac</c> (the algorithm's <c>Learner</c>).</param>
    public GoalConditionedAgent(LearnerOptions options, int observationSize, int goalSize, Box actionSpace,
        string learner = Ddpg.LearnerName, Td3Options? td3 = null, SacOptions? sac = null)
    {
        _observationSize = observationSize;
        _goalSize = goalSize;
        _input = new float[observationSize + goalSize];
        _normalize = options.Normalize;
        _relativeGoals = options.RelativeGoals;
        Learner = learner switch
        {
            Ddpg.LearnerName => new Ddpg(options, observationSize, goalSize, actionSpace.Size, actionSpace.Low, actionSpace.High),
            Td3.LearnerName => new Td3(options, td3 ?? new Td3Options(), observationSize, goalSize, actionSpace.Size, actionSpace.Low, actionSpace.High),
            Sac.LearnerName => new Sac(options, sac ?? new SacOptions(), observationSize, goalSize, actionSpace.Size, actionSpace.Low, actionSpace.High),
            _ => throw new ArgumentException($"learner '{learner}' is not one of ddpg, td3, sac", nameof(learner)),
        };
        _acting = new ActingPolicy((IActingStateSource)Learner, _relativeGoals);
        _exploresByActing = Learner is not Sac;
    }

    private readonly ActingPolicy _acting;
    // DDPG and TD3 explore with the deterministic action plus the trainer's noise; SAC samples its own policy.
    private readonly bool _exploresByActing;

    public ILearner Learner { get; }

    /// <summary>The deterministic action for a dict observation (SAC's: its mean action).</summary>
    public void Act(GoalObservation observation, Span<float> action)
    {
        ArgumentNullException.ThrowIfNull(observation);
        WriteInputRow(observation, _input.AsSpan(0, _observationSize + _goalSize));
        _acting.Current.ActOnInputRows(1, _input.AsSpan(0, _observationSize + _goalSize), action);
    }

    /// <summary>The deterministic actions for many dict observations in one pass, row i the action <see cref="Act(GoalObservation, Span{float})"/> gives for
    /// observation i.</summary>
    public void Act(IReadOnlyList<GoalObservation> observations, Span<float> actions)
    {
        ArgumentNullException.ThrowIfNull(observations);
        int width = _observationSize + _goalSize;
        if (_input.Length < observations.Count * width) _input = new float[observations.Count * width];
        for (int i = 0; i < observations.Count; i++) WriteInputRow(observations[i], _input.AsSpan(i * width, width));
        _acting.Current.ActOnInputRows(observations.Count, _input.AsSpan(0, observations.Count * width), actions);
    }

    /// <summary>
    /// The actions to collect experience with, row i for observation i, before the trainer's action noise
    /// (<see cref="ILearner.Explore"/>): the deterministic actions of the managed copy in one pass for DDPG and TD3,
    /// a sample of the policy per row (through TorchSharp, its draws in row order) for SAC.
    /// </summary>
    public void Explore(IReadOnlyList<GoalObservation> observations, Span<float> actions)
    {
        if (_exploresByActing) { Act(observations, actions); return; }
        ArgumentNullException.ThrowIfNull(observations);
        int width = _observationSize + _goalSize, actionSize = Learner.ActionSize;
        var row = _input.AsSpan(0, width);
        for (int i = 0; i < observations.Count; i++)
        {
            WriteInputRow(observations[i], row);
            Learner.Explore(row, actions.Slice(i * actionSize, actionSize));
        }
    }

    /// <summary>The policy as it acts now, without TorchSharp: the actor (SAC's mean half), the normalisers' statistics, the action scaling and
    /// the input layout.</summary>
    /// <param name="algorithm">The config's <c>algo</c>, recorded in the model for its reader.</param>
    /// <param name="environmentId">The environment's id, recorded in the model for its reader.</param>
    public PolicyModel ExportPolicy(string algorithm, string environmentId) => Learner.ExportPolicy(_relativeGoals, algorithm, environmentId);

    private void WriteInputRow(GoalObservation observation, Span<float> row)
    {
        observation.Observation.CopyTo(row);
        observation.DesiredGoal.CopyTo(row[_observationSize..]);
        if (_relativeGoals) SubtractInPlace(row.Slice(_observationSize, _goalSize), observation.AchievedGoal);
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
