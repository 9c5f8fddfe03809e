using System.Text;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests;

public class PointGoalEnvTests
{
    // Puts the environment in a known state through ReadState (layout: x, v, g, t, generator).
    private static PointGoalEnv EnvAt(float x, float v, float g, int t = 0, bool terminateOnSuccess = false, int maxEpisodeSteps = 50)
    {
        var env = new PointGoalEnv(terminateOnSuccess, maxEpisodeSteps);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(x); writer.Write(v); writer.Write(g); writer.Write(t);
            new Rng(0).WriteState(writer);
        }
        stream.Position = 0;
        env.ReadState(new BinaryReader(stream));
        return env;
    }

    [Fact]
    public void Actions_1_1_minus1_from_rest_give_the_hand_computed_float32_trajectory()
    {
        var env = EnvAt(x: 0.3f, v: 0f, g: -0.5f);

        // v = 0.8f*0 + 0.2f*1 = 0.2f;  x = 0.3f + 0.1f*0.2f = 0.32000002f (float32 rounding, one ulp above 0.32f)
        var s1 = env.Step([1f]);
        Assert.Equal([0.32000002f, 0.2f], s1.Observation.Observation);
        // v = 0.8f*0.2f + 0.2f = 0.36f;  x = 0.32000002f + 0.036000002f = 0.35600004f
        var s2 = env.Step([1f]);
        Assert.Equal([0.35600004f, 0.36f], s2.Observation.Observation);
        // v = 0.8f*0.36f - 0.2f = 0.088000014f;  x = 0.35600004f + 0.0088000014f = 0.36480004f
        var s3 = env.Step([-1f]);
        Assert.Equal([0.36480004f, 0.088000014f], s3.Observation.Observation);

        Assert.Equal([0.36480004f], s3.Observation.AchievedGoal);
        Assert.Equal([-0.5f], s3.Observation.DesiredGoal);
        Assert.Equal(-1f, s3.Reward);
        Assert.False(s3.Info.IsSuccess);
        Assert.False(s3.Terminated);
        Assert.False(s3.Truncated);
        Assert.Equal(3, env.ElapsedSteps);
    }

    [Theory]
    [InlineData(5f, 1f)]
    [InlineData(-3f, -1f)]
    [InlineData(float.PositiveInfinity, 1f)]
    public void Actions_outside_the_box_are_clipped_before_use(float action, float clipped)
    {
        var wild = EnvAt(0.3f, 0.1f, -0.5f).Step([action]);
        var tame = EnvAt(0.3f, 0.1f, -0.5f).Step([clipped]);
        Assert.Equal(tame.Observation.Observation, wild.Observation.Observation);
    }

    [Theory]
    // v = 0.8*0.9 + 0.2 = 0.92; x = 0.95 + 0.092 = 1.042 > 1: x = 1, v = 0
    [InlineData(0.95f, 0.9f, 1f, 1f)]
    // v = -0.4 - 0.2 = -0.6; x = -0.99 - 0.06 = -1.05 < -1: x = -1, v = 0
    [InlineData(-0.99f, -0.5f, -1f, -1f)]
    public void Crossing_a_wall_clips_the_position_and_zeroes_the_velocity(float x, float v, float action, float wall)
    {
        var step = EnvAt(x, v, g: 0f).Step([action]);
        Assert.Equal([wall, 0f], step.Observation.Observation);
    }

    [Fact]
    public void Reaching_exactly_the_wall_keeps_the_velocity()
    {
        // v = 0.8*0.75 + 0.2*1 = 0.8f; x = 0.92f + 0.08f = 1 exactly: |x| > 1 is false, so v stays.
        var step = EnvAt(0.92f, 0.75f, g: 0f).Step([1f]);
        Assert.Equal(1f, step.Observation.Observation[0]);
        Assert.Equal(0.8f, step.Observation.Observation[1]);
    }

    [Theory]
    // 0.1f - 0.05f is exactly 0.05f: on the threshold counts as reached (<=).
    [InlineData(0.1f, 0.05f, true)]
    [InlineData(0.1f, 0.0499999f, false)]
    [InlineData(-0.2f, -0.22f, true)]
    [InlineData(0.5f, -0.5f, false)]
    public void Reward_is_0_and_success_true_exactly_within_the_threshold(float x, float g, bool reached)
    {
        var step = EnvAt(x, 0f, g).Step([0f]); // action 0 from rest: the point does not move
        Assert.Equal(x, step.Observation.Observation[0]);
        Assert.Equal(reached ? 0f : -1f, step.Reward);
        Assert.Equal(reached, step.Info.IsSuccess);
    }

    [Fact]
    public void Episodes_are_truncated_at_step_50_and_not_before()
    {
        var env = new PointGoalEnv();
        env.Reset(7);
        for (int t = 1; t < 50; t++) Assert.False(env.Step([0.3f]).Truncated, $"step {t}");
        var last = env.Step([0.3f]);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        Assert.Equal(50, env.MaxEpisodeSteps);
    }

    [Fact]
    public void The_max_episode_steps_option_moves_the_time_limit()
    {
        var env = new PointGoalEnv(maxEpisodeSteps: 3);
        env.Reset(1);
        Assert.False(env.Step([1f]).Truncated);
        Assert.False(env.Step([1f]).Truncated);
        Assert.True(env.Step([1f]).Truncated);
        Assert.Throws<ArgumentOutOfRangeException>(() => new PointGoalEnv(maxEpisodeSteps: 0));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Terminate_on_success_decides_whether_reaching_the_goal_ends_the_episode(bool terminateOnSuccess)
    {
        var env = EnvAt(0f, 0f, 0.02f, terminateOnSuccess: terminateOnSuccess);
        var step = env.Step([0f]);
        Assert.Equal(0f, step.Reward);
        Assert.True(step.Info.IsSuccess);
        Assert.Equal(terminateOnSuccess, step.Terminated);

        var terminated = new bool[2];
        env.ComputeTerminated([0f, 0.5f], [0.02f, 0.02f], [], terminated);
        Assert.Equal([terminateOnSuccess, false], terminated);
    }

    [Fact]
    public void Reset_over_many_seeds_starts_at_rest_with_the_goal_more_than_0_1_away()
    {
        var env = new PointGoalEnv();
        for (ulong seed = 0; seed < 5000; seed++)
        {
            var o = env.Reset(seed);
            float x = o.Observation[0], g = o.DesiredGoal[0];
            Assert.True(MathF.Abs(x - g) > 0.1f, $"seed {seed}: x={x} g={g}");
            Assert.InRange(x, -1f, 1f);
            Assert.InRange(g, -1f, 1f);
            Assert.Equal(0f, o.Observation[1]);
            Assert.Equal(x, o.AchievedGoal[0]);
            Assert.Equal(0, env.ElapsedSteps);
        }
    }

    [Fact]
    public void Reset_with_the_same_seed_gives_the_same_start_and_without_a_seed_continues()
    {
        var env = new PointGoalEnv();
        var a = env.Reset(42);
        var next = env.Reset();
        var b = env.Reset(42);
        Assert.Equal(a.Observation, b.Observation);
        Assert.Equal(a.DesiredGoal, b.DesiredGoal);
        Assert.NotEqual(a.DesiredGoal, next.DesiredGoal);
    }

    [Fact]
    public void Batched_reward_equals_per_pair_reward()
    {
        var rng = new Rng(3);
        const int rows = 2000;
        var achieved = new float[rows];
        var desired = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            achieved[i] = (float)rng.Uniform(-1, 1);
            // Half the pairs lie near the threshold, where a wrong comparison would show.
            desired[i] = i % 2 == 0 ? (float)rng.Uniform(-1, 1) : achieved[i] + (float)rng.Uniform(-0.06, 0.06);
        }
        var env = new PointGoalEnv(terminateOnSuccess: true);
        var batch = new float[rows];
        var batchTerminated = new bool[rows];
        env.ComputeReward(achieved, desired, [], batch);
        env.ComputeTerminated(achieved, desired, [], batchTerminated);

        int successes = 0;
        for (int i = 0; i < rows; i++)
        {
            var one = new float[1];
            var oneTerminated = new bool[1];
            env.ComputeReward(achieved.AsSpan(i, 1), desired.AsSpan(i, 1), [], one);
            env.ComputeTerminated(achieved.AsSpan(i, 1), desired.AsSpan(i, 1), [], oneTerminated);
            Assert.Equal(one[0], batch[i]);
            Assert.Equal(oneTerminated[0], batchTerminated[i]);
            bool reached = MathF.Abs(achieved[i] - desired[i]) <= 0.05f;
            Assert.Equal(reached ? 0f : -1f, batch[i]);
            if (reached) successes++;
        }
        Assert.InRange(successes, 500, rows - 500); // both outcomes well represented
    }

    [Fact]
    public void ComputeReward_refuses_goal_arrays_that_do_not_match_the_row_count()
    {
        var env = new PointGoalEnv();
        Assert.Throws<ArgumentException>(() => env.ComputeReward([0f, 1f], [0f], [], new float[2]));
    }

    [Fact]
    public void Saved_state_continues_the_episode_and_the_generator_identically()
    {
        var env = new PointGoalEnv();
        env.Reset(11);
        var rng = new Rng(5);
        for (int i = 0; i < 17; i++) env.Step([(float)rng.Uniform(-1, 1)]);

        using var saved = new MemoryStream();
        env.WriteState(new BinaryWriter(saved));
        var actions = Enumerable.Range(0, 40).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();
        var original = Play(env, actions);

        var restored = new PointGoalEnv();
        saved.Position = 0;
        restored.ReadState(new BinaryReader(saved));
        Assert.Equal(original, Play(restored, actions));
    }

    // Plays the rest of the episode, then a reset without a seed and a few steps of the next one.
    private static List<string> Play(IGoalEnv env, float[] actions)
    {
        var trace = new List<string>();
        bool reset = false;
        foreach (float a in actions)
        {
            if (!reset && env is PointGoalEnv { ElapsedSteps: >= 50 })
            {
                var o = env.Reset();
                trace.Add($"reset {o.Observation[0]:R} {o.DesiredGoal[0]:R}");
                reset = true;
            }
            var s = env.Step([a]);
            trace.Add($"{s.Observation.Observation[0]:R} {s.Observation.Observation[1]:R} {s.Reward} {s.Terminated} {s.Truncated}");
        }
        Assert.True(reset, "the trace should cross an episode boundary");
        return trace;
    }

    [Fact]
    public void Step_refuses_an_action_of_the_wrong_length()
    {
        var env = new PointGoalEnv();
        env.Reset(0);
        Assert.Throws<ArgumentException>(() => env.Step([0f, 0f]));
    }

    [Fact]
    public void Truncation_is_not_offered_as_a_function_of_goals()
    {
        // t >= max_episode_steps depends on the episode clock, which a relabeled goal pair does not carry.
        Assert.False(typeof(IComputesTruncated).IsAssignableFrom(typeof(PointGoalEnv)));
        Assert.True(typeof(IComputesTerminated).IsAssignableFrom(typeof(PointGoalEnv)));
    }
}
