using System.Text;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests;

// Expected values were worked out in float32, one rounding per operation in the spec's order
// (a Python reference rounding every + - * / sqrt through struct.pack('f')); they are written with
// all their digits, so a float32 value parses back to exactly itself.
public class Push2DEnvTests
{
    private const float Contact = 0.12999999523162842f;   // rp + rb = 0.05f + 0.08f in float32
    private const float PuckLimit = 0.9200000166893005f;  // 1 - rb
    private const float PusherLimit = 0.949999988079071f; // 1 - rp

    // Puts the environment in a known state through ReadState (layout: px, py, bx, by, gx, gy, t, generator).
    private static Push2DEnv EnvAt((float X, float Y) pusher, (float X, float Y) puck, (float X, float Y) goal, int t = 0,
        bool terminateOnSuccess = false, int maxEpisodeSteps = 50)
    {
        var env = new Push2DEnv(terminateOnSuccess, maxEpisodeSteps);
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(pusher.X); writer.Write(pusher.Y); writer.Write(puck.X); writer.Write(puck.Y);
            writer.Write(goal.X); writer.Write(goal.Y); writer.Write(t);
            new Rng(0).WriteState(writer);
        }
        stream.Position = 0;
        env.ReadState(new BinaryReader(stream));
        return env;
    }

    private static (float Px, float Py, float Bx, float By) Positions(StepResult step)
    {
        var o = step.Observation.Observation;
        return (o[0], o[1], o[2], o[3]);
    }

    [Fact]
    public void Free_motion_moves_the_pusher_0_02_times_the_action_per_sub_step_and_leaves_the_puck()
    {
        var step = EnvAt((0f, 0f), (0.5f, 0.5f), (-0.5f, -0.5f)).Step([1f, -0.5f]);
        // x: 0.02f added five times is 0.099999994f in float32 (not 0.1f); y: -0.01f five times.
        Assert.Equal([0.09999999403953552f, -0.04999999701976776f, 0.5f, 0.5f, 0.5f - 0.09999999403953552f, 0.5f + 0.04999999701976776f],
            step.Observation.Observation);
        Assert.Equal([0.5f, 0.5f], step.Observation.AchievedGoal);
        Assert.Equal([-0.5f, -0.5f], step.Observation.DesiredGoal);
        Assert.Equal(-1f, step.Reward);
        Assert.False(step.Info.IsSuccess);
    }

    [Fact]
    public void A_head_on_push_keeps_the_puck_one_contact_distance_ahead()
    {
        // Puck 0.14 ahead: clear at the start (> 0.13); the first sub-step (pusher at 0.02) overlaps,
        // and from then on each sub-step puts the puck at px + 0.13.
        var step = EnvAt((0f, 0f), (0.14f, 0f), (0.5f, 0f)).Step([1f, 0f]);
        var (px, py, bx, by) = Positions(step);
        Assert.Equal(0.09999999403953552f, px);
        Assert.Equal(0f, py);
        Assert.Equal(0.22999998927116394f, bx);
        Assert.Equal(0f, by);
    }

    [Fact]
    public void A_glancing_push_moves_the_puck_along_the_line_of_centres()
    {
        // The pusher moves along x below the puck's centre: every contact shoves the puck up and right.
        // Sub-step 1: p = (0.02, 0), d = (0.1, 0.06), dist = 0.1166190356, n = d / dist, b = p + 0.13 n = (0.13147406, 0.066884443).
        var step = EnvAt((0f, 0f), (0.12f, 0.06f), (0.5f, 0f)).Step([1f, 0f]);
        var (px, py, bx, by) = Positions(step);
        Assert.Equal(0.09999999403953552f, px);
        Assert.Equal(0f, py);
        Assert.Equal(0.1725689172744751f, bx);
        Assert.Equal(0.10785986483097076f, by);
        Assert.Equal(step.Observation.Observation[4], bx - px);
        Assert.Equal(step.Observation.Observation[5], by - py);
    }

    [Fact]
    public void Centres_that_coincide_push_the_puck_along_plus_x()
    {
        // Sub-step 1 puts the pusher exactly on the puck's centre (dist 0 <= 1e-6): n = (1, 0).
        var step = EnvAt((0f, 0f), (0.02f, 0f), (0.5f, 0.5f)).Step([1f, 0f]);
        var (_, _, bx, by) = Positions(step);
        Assert.Equal(0.22999998927116394f, bx);
        Assert.Equal(0f, by);
    }

    [Fact]
    public void A_puck_pushed_into_the_wall_stops_at_1_minus_its_radius_and_the_pusher_overlaps_it()
    {
        // Sub-step 1: distance exactly 0.13 (not < 0.13): no contact. Sub-step 2: b = 0.79 + 0.13 = 0.91999996.
        // Sub-steps 3-5: b = min(p + 0.13, 0.92): the puck stays on the wall, the pusher keeps going (quasi-static:
        // the spec resolves overlap only by moving the puck, which the wall then clips).
        var step = EnvAt((0.75f, 0f), (0.9f, 0f), (0f, 0f)).Step([1f, 0f]);
        var (px, _, bx, by) = Positions(step);
        Assert.Equal(0.8499999046325684f, px);
        Assert.Equal(PuckLimit, bx);
        Assert.Equal(0f, by);
        Assert.True(bx - px < Contact);
    }

    [Fact]
    public void Pushed_into_a_corner_the_puck_is_clipped_per_coordinate()
    {
        var step = EnvAt((0.8f, 0.8f), (0.9f, 0.9f), (0f, 0f)).Step([1f, 1f]);
        var (px, py, bx, by) = Positions(step);
        Assert.Equal(0.8999999165534973f, px);
        Assert.Equal(0.8999999165534973f, py);
        Assert.Equal((PuckLimit, PuckLimit), (bx, by));
    }

    [Theory]
    [InlineData(0.94f, -0.94f, 1f, -1f)]
    [InlineData(-0.94f, 0.94f, -1f, 1f)]
    [InlineData(0.94f, 0.94f, 7f, float.PositiveInfinity)]   // out-of-box actions are clipped to [-1, 1] first
    public void The_pusher_stops_at_the_table_edge_minus_its_radius(float x, float y, float ax, float ay)
    {
        var step = EnvAt((x, y), (0f, 0f), (0.3f, 0.3f)).Step([ax, ay]);
        var (px, py, bx, by) = Positions(step);
        Assert.Equal(MathF.Sign(x) * PusherLimit, px);
        Assert.Equal(MathF.Sign(y) * PusherLimit, py);
        Assert.Equal((0f, 0f), (bx, by));
    }

    [Theory]
    // The puck does not move (the pusher is far and still): success is ||b - g|| <= 0.05 after the step.
    [InlineData(0.3f, 0.4f, 0.33f, 0.44f, true)]       // 0.05 away (float32 rounds the distance to <= 0.05)
    [InlineData(0.3f, 0.4f, 0.3f, 0.46f, false)]
    [InlineData(-0.2f, 0.1f, -0.2f, 0.1f, true)]
    public void Reward_is_0_and_success_true_exactly_within_the_threshold(float bx, float by, float gx, float gy, bool reached)
    {
        float dx = bx - gx, dy = by - gy;
        Assert.Equal(reached, MathF.Sqrt(dx * dx + dy * dy) <= 0.05f);
        var step = EnvAt((-0.9f, -0.9f), (bx, by), (gx, gy)).Step([0f, 0f]);
        Assert.Equal(reached ? 0f : -1f, step.Reward);
        Assert.Equal(reached, step.Info.IsSuccess);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Terminate_on_success_decides_whether_reaching_the_goal_ends_the_episode(bool terminateOnSuccess)
    {
        var env = EnvAt((-0.9f, -0.9f), (0.1f, 0.1f), (0.12f, 0.1f), terminateOnSuccess: terminateOnSuccess);
        var step = env.Step([0f, 0f]);
        Assert.True(step.Info.IsSuccess);
        Assert.Equal(terminateOnSuccess, step.Terminated);

        var terminated = new bool[2];
        env.ComputeTerminated([0.1f, 0.1f, 0.5f, 0.5f], [0.12f, 0.1f, 0.12f, 0.1f], [], terminated);
        Assert.Equal([terminateOnSuccess, false], terminated);
    }

    [Fact]
    public void Episodes_are_truncated_at_step_50_and_not_before()
    {
        var env = new Push2DEnv();
        env.Reset(7);
        for (int t = 1; t < 50; t++) Assert.False(env.Step([0.3f, -0.2f]).Truncated, $"step {t}");
        var last = env.Step([0.3f, -0.2f]);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
        Assert.Equal(3, new Push2DEnv(maxEpisodeSteps: 3).MaxEpisodeSteps);
    }

    [Fact]
    public void Reset_draws_puck_then_goal_then_pusher_with_the_spec_rejections()
    {
        var env = new Push2DEnv();
        int goalRedraws = 0, pusherRedraws = 0;
        for (ulong seed = 0; seed < 3000; seed++)
        {
            var o = env.Reset(seed);
            // The same draws, replayed from the same generator in the spec's order.
            var rng = new Rng(seed);
            float bx = (float)rng.Uniform(-0.5, 0.5), by = (float)rng.Uniform(-0.5, 0.5);
            float gx, gy, px, py;
            int draws = 0;
            do { gx = (float)rng.Uniform(-0.5, 0.5); gy = (float)rng.Uniform(-0.5, 0.5); draws++; }
            while (!(MathF.Sqrt((gx - bx) * (gx - bx) + (gy - by) * (gy - by)) > 0.1f));
            goalRedraws += draws - 1;
            draws = 0;
            do { px = (float)rng.Uniform(-0.8, 0.8); py = (float)rng.Uniform(-0.8, 0.8); draws++; }
            while (!(MathF.Sqrt((px - bx) * (px - bx) + (py - by) * (py - by)) > Contact + 0.05f));
            pusherRedraws += draws - 1;

            Assert.Equal([px, py, bx, by, bx - px, by - py], o.Observation);
            Assert.Equal([bx, by], o.AchievedGoal);
            Assert.Equal([gx, gy], o.DesiredGoal);
            Assert.Equal(0, env.ElapsedSteps);
        }
        // Both rejection loops were exercised (about 3% and 7% of draws are rejected).
        Assert.InRange(goalRedraws, 20, 300);
        Assert.InRange(pusherRedraws, 50, 600);
    }

    [Fact]
    public void Reset_with_the_same_seed_gives_the_same_start_and_without_a_seed_continues()
    {
        var env = new Push2DEnv();
        var a = env.Reset(42);
        var next = env.Reset();
        var b = env.Reset(42);
        Assert.Equal(a.Observation, b.Observation);
        Assert.Equal(a.DesiredGoal, b.DesiredGoal);
        Assert.NotEqual(a.DesiredGoal, next.DesiredGoal);
    }

    [Fact]
    public void Batched_reward_and_termination_equal_the_per_pair_ones()
    {
        var rng = new Rng(3);
        const int rows = 2000;
        var achieved = new float[2 * rows];
        var desired = new float[2 * rows];
        for (int i = 0; i < rows; i++)
        {
            achieved[2 * i] = (float)rng.Uniform(-1, 1);
            achieved[2 * i + 1] = (float)rng.Uniform(-1, 1);
            // Half the pairs lie near the threshold, where a wrong norm or comparison would show.
            bool near = i % 2 == 1;
            desired[2 * i] = near ? achieved[2 * i] + (float)rng.Uniform(-0.05, 0.05) : (float)rng.Uniform(-1, 1);
            desired[2 * i + 1] = near ? achieved[2 * i + 1] + (float)rng.Uniform(-0.05, 0.05) : (float)rng.Uniform(-1, 1);
        }
        var env = new Push2DEnv(terminateOnSuccess: true);
        var batch = new float[rows];
        var batchTerminated = new bool[rows];
        env.ComputeReward(achieved, desired, [], batch);
        env.ComputeTerminated(achieved, desired, [], batchTerminated);

        int successes = 0, taxicabWouldDiffer = 0;
        for (int i = 0; i < rows; i++)
        {
            var one = new float[1];
            var oneTerminated = new bool[1];
            env.ComputeReward(achieved.AsSpan(2 * i, 2), desired.AsSpan(2 * i, 2), [], one);
            env.ComputeTerminated(achieved.AsSpan(2 * i, 2), desired.AsSpan(2 * i, 2), [], oneTerminated);
            Assert.Equal(one[0], batch[i]);
            Assert.Equal(oneTerminated[0], batchTerminated[i]);
            float dx = achieved[2 * i] - desired[2 * i], dy = achieved[2 * i + 1] - desired[2 * i + 1];
            bool reached = MathF.Sqrt(dx * dx + dy * dy) <= 0.05f;
            Assert.Equal(reached ? 0f : -1f, batch[i]);
            if (reached) successes++;
            if (reached != (MathF.Max(MathF.Abs(dx), MathF.Abs(dy)) <= 0.05f)) taxicabWouldDiffer++;
        }
        Assert.InRange(successes, 400, rows - 500); // both outcomes well represented
        Assert.True(taxicabWouldDiffer > 50, "the pairs should tell the Euclidean norm from a per-coordinate test");
    }

    [Fact]
    public void ComputeReward_refuses_goal_arrays_that_do_not_match_the_row_count()
    {
        var env = new Push2DEnv();
        Assert.Throws<ArgumentException>(() => env.ComputeReward([0f, 1f, 2f], [0f, 1f], [], new float[1]));
        Assert.Throws<ArgumentException>(() => env.Step([0f]));
    }

    [Fact]
    public void Saved_state_continues_the_episode_and_the_generator_identically()
    {
        var env = new Push2DEnv();
        env.Reset(11);
        var rng = new Rng(5);
        for (int i = 0; i < 17; i++) env.Step([(float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1)]);

        using var saved = new MemoryStream();
        env.WriteState(new BinaryWriter(saved));
        var actions = Enumerable.Range(0, 40).Select(_ => new[] { (float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1) }).ToArray();
        var original = Play(env, actions);

        var restored = new Push2DEnv();
        saved.Position = 0;
        restored.ReadState(new BinaryReader(saved));
        Assert.Equal(original, Play(restored, actions));
    }

    // Plays the rest of the episode, then a reset without a seed and a few steps of the next one.
    private static List<string> Play(Push2DEnv env, float[][] actions)
    {
        var trace = new List<string>();
        bool reset = false;
        foreach (var a in actions)
        {
            if (!reset && env.ElapsedSteps >= 50)
            {
                var o = env.Reset();
                trace.Add("reset " + string.Join(' ', o.Observation.Select(v => v.ToString("R")))
                    + " " + string.Join(' ', o.DesiredGoal.Select(v => v.ToString("R"))));
                reset = true;
            }
            var s = env.Step(a);
            trace.Add(string.Join(' ', s.Observation.Observation.Select(v => v.ToString("R"))) + $" {s.Reward} {s.Terminated} {s.Truncated}");
        }
        Assert.True(reset, "the trace should cross an episode boundary");
        return trace;
    }

    [Fact]
    public void A_random_policy_rarely_succeeds()
    {
        // The spec's premise: the puck moves only on contact, so random play almost never puts it on the goal.
        var env = new Push2DEnv();
        var rng = new Rng(9);
        int successes = 0;
        for (ulong episode = 0; episode < 200; episode++)
        {
            env.Reset(episode);
            StepResult last = default!;
            for (int t = 0; t < 50; t++) last = env.Step([(float)rng.Uniform(-1, 1), (float)rng.Uniform(-1, 1)]);
            if (last.Info.IsSuccess) successes++;
        }
        Assert.InRange(successes, 0, 10);
    }

    [Fact]
    public void The_registry_makes_it_with_its_options()
    {
        var options = new Dictionary<string, object?> { ["terminate_on_success"] = true, ["max_episode_steps"] = 20L };
        var env = Assert.IsType<Push2DEnv>(EnvRegistry.Make("Push2D-v0", options));
        Assert.True(env.TerminateOnSuccess);
        Assert.Equal(20, env.MaxEpisodeSteps);
        Assert.Empty(EnvChecker.Check(new Push2DEnv(), episodes: 3).Violations);
    }
}
