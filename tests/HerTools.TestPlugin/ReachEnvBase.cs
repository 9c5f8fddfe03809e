using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using Newtonsoft.Json;

namespace HerTools.TestPlugin;

/// <summary>
/// 2D point reaching: the point moves by 0.1 * action (clipped to the unit square), the goal is reached within the
/// threshold. The goal region comes as a JSON pair, read with Newtonsoft.Json, so loading the plug-in needs its own
/// dependency.
/// </summary>
public abstract class ReachEnvBase : IGoalEnv, IComputesTerminated
{
    protected readonly Rng Random = new(0);
    protected float X, Y, Gx, Gy;
    protected int T;
    private readonly float _goalLow, _goalHigh;

    protected ReachEnvBase(double distanceThreshold, string goalRange, int maxEpisodeSteps)
    {
        if (distanceThreshold <= 0) throw new ArgumentOutOfRangeException(nameof(distanceThreshold), distanceThreshold, "must be positive");
        var range = JsonConvert.DeserializeObject<float[]>(goalRange)
            ?? throw new ArgumentException("must be a JSON pair like [-0.8, 0.8]", nameof(goalRange));
        if (range.Length != 2 || !(range[0] < range[1])) throw new ArgumentException("must be a JSON pair [low, high] with low < high", nameof(goalRange));
        (_goalLow, _goalHigh) = (range[0], range[1]);
        DistanceThreshold = (float)distanceThreshold;
        MaxEpisodeSteps = maxEpisodeSteps;
    }

    public abstract string Id { get; }
    public float DistanceThreshold { get; }
    public int MaxEpisodeSteps { get; }
    public GoalObservationSpace ObservationSpace { get; } = new(Box.Uniform(-1f, 1f, 2), Box.Uniform(-1f, 1f, 2), Box.Uniform(-1f, 1f, 2));
    public Box ActionSpace { get; } = Box.Uniform(-1f, 1f, 2);

    public GoalObservation Reset(ulong? seed = null)
    {
        if (seed is ulong s) Random.Reseed(s);
        X = (float)Random.Uniform(-1, 1);
        Y = (float)Random.Uniform(-1, 1);
        do
        {
            Gx = (float)Random.Uniform(_goalLow, _goalHigh);
            Gy = (float)Random.Uniform(_goalLow, _goalHigh);
        } while (Distance(X, Y, Gx, Gy) <= 2 * DistanceThreshold);
        T = 0;
        return Observe();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        X = Math.Clamp(X + 0.1f * Math.Clamp(action[0], -1f, 1f), -1f, 1f);
        Y = Math.Clamp(Y + 0.1f * Math.Clamp(action[1], -1f, 1f), -1f, 1f);
        T++;
        bool success = Distance(X, Y, Gx, Gy) <= DistanceThreshold;
        return new StepResult(Observe(), success ? 0f : -1f, false, T >= MaxEpisodeSteps, new StepInfo(success));
    }

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        for (int i = 0; i < rewards.Length; i++)
            rewards[i] = Distance(achievedGoals[2 * i], achievedGoals[2 * i + 1], desiredGoals[2 * i], desiredGoals[2 * i + 1]) <= DistanceThreshold ? 0f : -1f;
    }

    public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated) =>
        terminated.Clear();

    private GoalObservation Observe() => new([X, Y], [X, Y], [Gx, Gy]);

    private static float Distance(float ax, float ay, float bx, float by) => MathF.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by));
}
