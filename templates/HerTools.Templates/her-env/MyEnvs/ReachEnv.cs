using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace MyEnvs;

/// <summary>
/// Reach-v0: a point in the square [-1, 1]^2 moves by a tenth of the action each step and must come within
/// <c>distance_threshold</c> of a goal. A goal environment as HER needs it: the observation is the position, the
/// achieved goal is the position too, the desired goal is the target, and the reward (0 reached, -1 not) is a pure
/// function of the two goals (<see cref="ComputeReward"/>), because HER recomputes it for the goals it relabels.
/// </summary>
/// <remarks>
/// <see cref="GoalEnvironmentAttribute"/> registers the class under its id when her-tools loads this assembly
/// (<c>env.assembly</c> in a config). The constructor's parameters are the environment's options, set in a config
/// as <c>env.distance_threshold</c> and <c>env.max_episode_steps</c>: their defaults, <c>[Description]</c> and
/// <c>[Range]</c> are what <c>her-tools envs</c> lists and what a config is checked against.
/// </remarks>
[GoalEnvironment("Reach-v0", Description = "2D point reaching (the her-env template)", MaxEpisodeSteps = 25)]
public sealed class ReachEnv(
    [Description("success radius around the goal"), Range(0.01, 1.0)] double distanceThreshold = 0.15,
    [Description("time limit: the episode is truncated after this many steps"), Range(1, 1000)] int maxEpisodeSteps = 25)
    : IGoalEnv, ISavesState
{
    // The engine's generator: its state can be saved, so a resumed run draws the same goals as one never stopped.
    private readonly Rng _random = new(0);
    private float _x, _y, _goalX, _goalY;
    private int _steps;

    public string Id => "Reach-v0";
    public int MaxEpisodeSteps => maxEpisodeSteps;
    public GoalObservationSpace ObservationSpace { get; } = new(Box.Uniform(-1f, 1f, 2), Box.Uniform(-1f, 1f, 2), Box.Uniform(-1f, 1f, 2));
    public Box ActionSpace { get; } = Box.Uniform(-1f, 1f, 2);

    /// <summary>A new episode; the same seed gives the same start and goal (evaluations rely on it).</summary>
    public GoalObservation Reset(ulong? seed = null)
    {
        if (seed is ulong s) _random.Reseed(s);
        _x = (float)_random.Uniform(-1, 1);
        _y = (float)_random.Uniform(-1, 1);
        // The goal is drawn again until the episode does not start at it.
        do
        {
            _goalX = (float)_random.Uniform(-0.8, 0.8);
            _goalY = (float)_random.Uniform(-0.8, 0.8);
        } while (Reached(_x, _y, _goalX, _goalY));
        _steps = 0;
        return Observe();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != 2) throw new ArgumentException($"Reach-v0 takes 2 action values, got {action.Length}", nameof(action));
        _x = Math.Clamp(_x + 0.1f * Math.Clamp(action[0], -1f, 1f), -1f, 1f);
        _y = Math.Clamp(_y + 0.1f * Math.Clamp(action[1], -1f, 1f), -1f, 1f);
        _steps++;
        bool success = Reached(_x, _y, _goalX, _goalY);
        // Reaching the goal does not end the episode (terminated: false); the time limit truncates it.
        return new StepResult(Observe(), success ? 0f : -1f, Terminated: false, Truncated: _steps >= maxEpisodeSteps, new StepInfo(success));
    }

    /// <summary>The reward of each row of goals, as <see cref="Step"/> gives it: row i is values [2i, 2i + 2) of
    /// <paramref name="achievedGoals"/> and <paramref name="desiredGoals"/>. HER calls it once per sampled batch.</summary>
    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        for (int i = 0; i < rewards.Length; i++)
            rewards[i] = Reached(achievedGoals[2 * i], achievedGoals[2 * i + 1], desiredGoals[2 * i], desiredGoals[2 * i + 1]) ? 0f : -1f;
    }

    // ISavesState is optional: with it a resumed run continues the episode in progress bit for bit; without it a
    // resume starts a fresh episode where the checkpoint was taken.
    public void WriteState(BinaryWriter writer)
    {
        writer.Write(_x); writer.Write(_y); writer.Write(_goalX); writer.Write(_goalY); writer.Write(_steps);
        _random.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        _x = reader.ReadSingle(); _y = reader.ReadSingle(); _goalX = reader.ReadSingle(); _goalY = reader.ReadSingle();
        _steps = reader.ReadInt32();
        _random.ReadState(reader);
    }

    private bool Reached(float ax, float ay, float bx, float by) =>
        MathF.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by)) <= distanceThreshold;

    private GoalObservation Observe() => new([_x, _y], [_x, _y], [_goalX, _goalY]);
}
