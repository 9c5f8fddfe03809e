using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Randomness;

namespace HerTools.Core.Envs;

/// <summary>
/// PointGoal-v0: 1D point-mass reaching, exactly as <c>specs/goal-envs.md</c> gives it.
/// Observation [x, v], achieved goal [x], desired goal [g]; success within 0.05.
/// </summary>
/// <remarks>
/// There is no batched <see cref="IComputesTruncated"/>: truncation is <c>t &gt;= max_episode_steps</c>, a
/// function of the episode clock, not of a goal pair, so a relabeled transition keeps the flag it was stored with.
/// </remarks>
[GoalEnvironment(EnvId, Description = "1D point-mass reaching: reach the goal position within 0.05",
    MaxEpisodeSteps = DefaultMaxEpisodeSteps)]
public sealed class PointGoalEnv : IGoalEnv, IComputesTerminated, IEpisodeClock, IKeepsWithinSpaces, IThreadSafeEnv
{
    public const string EnvId = "PointGoal-v0";
    public const float DistanceThreshold = 0.05f;
    public const int DefaultMaxEpisodeSteps = 50;

    private readonly Rng _rng = new(0);
    private float _x, _v, _g;
    private int _t;

    public PointGoalEnv(
        [Description("end the episode (terminated) when the goal is reached")] bool terminateOnSuccess = false,
        [Description("time limit: the episode is truncated after this many steps"), Range(1, int.MaxValue)] int maxEpisodeSteps = DefaultMaxEpisodeSteps)
    {
        if (maxEpisodeSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "must be at least 1");
        TerminateOnSuccess = terminateOnSuccess;
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    public string Id => EnvId;
    public bool TerminateOnSuccess { get; }
    public int MaxEpisodeSteps { get; }
    public GoalObservationSpace ObservationSpace { get; } = new(
        new Box([-1f, -1f], [1f, 1f]), Box.Uniform(-1f, 1f, 1), Box.Uniform(-1f, 1f, 1));
    public Box ActionSpace { get; } = Box.Uniform(-1f, 1f, 1);

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _t;

    public GoalObservation Reset(ulong? seed = null)
    {
        if (seed is ulong s) _rng.Reseed(s);
        _x = (float)_rng.Uniform(-1, 1);
        _v = 0f;
        // The goal is redrawn until it is not already (nearly) reached at the start.
        do { _g = (float)_rng.Uniform(-1, 1); } while (!(MathF.Abs(_x - _g) > 0.1f));
        _t = 0;
        return CurrentObservation();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != 1) throw new ArgumentException($"PointGoal-v0 takes 1 action value, got {action.Length}", nameof(action));
        float a = Math.Clamp(action[0], -1f, 1f);
        _v = Math.Clamp(0.8f * _v + 0.2f * a, -1f, 1f);
        _x += 0.1f * _v;
        if (MathF.Abs(_x) > 1f) { _x = Math.Clamp(_x, -1f, 1f); _v = 0f; }
        _t++;
        bool success = IsReached(_x, _g);
        return new StepResult(CurrentObservation(), success ? 0f : -1f,
            Terminated: TerminateOnSuccess && success, Truncated: _t >= MaxEpisodeSteps, new StepInfo(success));
    }

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        CheckBatch(achievedGoals, desiredGoals, rewards.Length);
        for (int i = 0; i < rewards.Length; i++) rewards[i] = IsReached(achievedGoals[i], desiredGoals[i]) ? 0f : -1f;
    }

    public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated)
    {
        CheckBatch(achievedGoals, desiredGoals, terminated.Length);
        for (int i = 0; i < terminated.Length; i++) terminated[i] = TerminateOnSuccess && IsReached(achievedGoals[i], desiredGoals[i]);
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_x); writer.Write(_v); writer.Write(_g); writer.Write(_t);
        _rng.WriteState(writer);
    }

    /// <summary>Restores what <see cref="WriteState"/> wrote; a position, velocity or goal outside [-1, 1] or a clock
    /// outside the time limit is refused (no episode gets there).</summary>
    public void ReadState(BinaryReader reader)
    {
        float x = SavedStateException.ReadSingle(reader, "PointGoal-v0 position", -1f, 1f);
        float v = SavedStateException.ReadSingle(reader, "PointGoal-v0 velocity", -1f, 1f);
        float g = SavedStateException.ReadSingle(reader, "PointGoal-v0 goal", -1f, 1f);
        int t = SavedStateException.ReadInt32(reader, "PointGoal-v0 episode step", 0, MaxEpisodeSteps);
        _rng.ReadState(reader, "PointGoal-v0 generator");
        _x = x; _v = v; _g = g; _t = t;
    }

    // ||ag - dg||_2 <= threshold; in one dimension the norm is the absolute difference.
    private static bool IsReached(float achieved, float desired) => MathF.Abs(achieved - desired) <= DistanceThreshold;

    private static void CheckBatch(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired, int rows)
    {
        if (achieved.Length != rows || desired.Length != rows)
            throw new ArgumentException($"PointGoal-v0 goals have 1 value: expected {rows} achieved and desired values, got {achieved.Length} and " +
                $"{desired.Length}");
    }

    private GoalObservation CurrentObservation() => new([_x, _v], [_x], [_g]);
}
