using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Randomness;

namespace HerTools.Core.Envs;

/// <summary>
/// Push2D-v0: planar pushing, exactly as <c>specs/goal-envs.md</c> gives it. A pusher disc driven by the action
/// shoves a puck disc (quasi-static contact, no momentum) on the table [-1, 1]^2; the goal is about the puck.
/// Observation [px, py, bx, by, bx - px, by - py], achieved goal [bx, by], desired goal [gx, gy]; success within 0.05.
/// All arithmetic is float32, in the spec's order, so trajectories match other implementations of the spec bit for bit.
/// </summary>
[GoalEnvironment(EnvId, Description = "planar pushing: a pusher disc must shove a puck onto the goal (the HER paper's pushing setting, in 2D)",
    MaxEpisodeSteps = DefaultMaxEpisodeSteps)]
public sealed class Push2DEnv : IGoalEnv, IComputesTerminated, IThreadSafeEnv
{
    public const string EnvId = "Push2D-v0";
    public const float DistanceThreshold = 0.05f;
    public const int DefaultMaxEpisodeSteps = 50;
    public const float PusherRadius = 0.05f;
    public const float PuckRadius = 0.08f;
    /// <summary>How far the pusher moves per sub-step at full action.</summary>
    public const float SubStepLength = 0.02f;
    public const int SubSteps = 5;

    // Derived once, in float32 as the spec's expressions evaluate.
    private const float ContactDistance = PusherRadius + PuckRadius;
    private const float PusherLimit = 1f - PusherRadius;
    private const float PuckLimit = 1f - PuckRadius;

    private readonly Rng _rng = new(0);
    private float _px, _py, _bx, _by, _gx, _gy;
    private int _t;

    public Push2DEnv(
        [Description("end the episode (terminated) when the puck reaches the goal")] bool terminateOnSuccess = false,
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
        new Box([-1f, -1f, -1f, -1f, -2f, -2f], [1f, 1f, 1f, 1f, 2f, 2f]), Box.Uniform(-1f, 1f, 2), Box.Uniform(-1f, 1f, 2));
    public Box ActionSpace { get; } = Box.Uniform(-1f, 1f, 2);

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _t;

    public GoalObservation Reset(ulong? seed = null)
    {
        if (seed is ulong s) _rng.Reseed(s);
        // The spec's draw order: puck, then goal (redrawn until not already reached), then pusher (redrawn until
        // clear of the puck by a margin), each point x before y.
        _bx = Draw(0.5); _by = Draw(0.5);
        do { _gx = Draw(0.5); _gy = Draw(0.5); } while (!(Distance(_gx - _bx, _gy - _by) > 0.1f));
        do { _px = Draw(0.8); _py = Draw(0.8); } while (!(Distance(_px - _bx, _py - _by) > ContactDistance + 0.05f));
        _t = 0;
        return CurrentObservation();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != 2) throw new ArgumentException($"Push2D-v0 takes 2 action values, got {action.Length}", nameof(action));
        float ax = Math.Clamp(action[0], -1f, 1f), ay = Math.Clamp(action[1], -1f, 1f);
        for (int i = 0; i < SubSteps; i++)
        {
            _px = Math.Clamp(_px + SubStepLength * ax, -PusherLimit, PusherLimit);
            _py = Math.Clamp(_py + SubStepLength * ay, -PusherLimit, PusherLimit);
            float dx = _bx - _px, dy = _by - _py;
            float dist = Distance(dx, dy);
            if (dist < ContactDistance)
            {
                // Quasi-static contact: the puck is put back just out of overlap along the line of centres
                // (an arbitrary but fixed direction when the centres coincide).
                float nx = 1f, ny = 0f;
                if (dist > 1e-6f) { nx = dx / dist; ny = dy / dist; }
                _bx = Math.Clamp(_px + ContactDistance * nx, -PuckLimit, PuckLimit);
                _by = Math.Clamp(_py + ContactDistance * ny, -PuckLimit, PuckLimit);
            }
        }
        _t++;
        bool success = IsReached(_bx, _by, _gx, _gy);
        return new StepResult(CurrentObservation(), success ? 0f : -1f,
            Terminated: TerminateOnSuccess && success, Truncated: _t >= MaxEpisodeSteps, new StepInfo(success));
    }

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        CheckBatch(achievedGoals, desiredGoals, rewards.Length);
        for (int i = 0; i < rewards.Length; i++)
            rewards[i] = IsReached(achievedGoals[2 * i], achievedGoals[2 * i + 1], desiredGoals[2 * i], desiredGoals[2 * i + 1]) ? 0f : -1f;
    }

    public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated)
    {
        CheckBatch(achievedGoals, desiredGoals, terminated.Length);
        for (int i = 0; i < terminated.Length; i++)
            terminated[i] = TerminateOnSuccess && IsReached(achievedGoals[2 * i], achievedGoals[2 * i + 1], desiredGoals[2 * i], desiredGoals[2 * i + 1]);
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_px); writer.Write(_py); writer.Write(_bx); writer.Write(_by); writer.Write(_gx); writer.Write(_gy);
        writer.Write(_t);
        _rng.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        float px = reader.ReadSingle(), py = reader.ReadSingle(), bx = reader.ReadSingle(), by = reader.ReadSingle();
        float gx = reader.ReadSingle(), gy = reader.ReadSingle();
        int t = reader.ReadInt32();
        _rng.ReadState(reader);
        (_px, _py, _bx, _by, _gx, _gy, _t) = (px, py, bx, by, gx, gy, t);
    }

    // U(-bound, bound) drawn in double and rounded once to float32, as PointGoal-v0 draws.
    private float Draw(double bound) => (float)_rng.Uniform(-bound, bound);

    private static float Distance(float dx, float dy) => MathF.Sqrt(dx * dx + dy * dy);

    private static bool IsReached(float ax, float ay, float dx, float dy) => Distance(ax - dx, ay - dy) <= DistanceThreshold;

    private static void CheckBatch(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired, int rows)
    {
        long expected = 2L * rows;
        if (achieved.Length != expected || desired.Length != expected)
            throw new ArgumentException(
                $"Push2D-v0 goals have 2 values: expected {expected} achieved and desired values for {rows} rows, got {achieved.Length} and {desired.Length}");
    }

    private GoalObservation CurrentObservation() => new([_px, _py, _bx, _by, _bx - _px, _by - _py], [_bx, _by], [_gx, _gy]);
}
