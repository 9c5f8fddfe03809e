using System.Text;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests;

public class BitFlipEnvTests
{
    // Puts the environment in a known state through ReadState (layout: n_bits, state, target, t, generator).
    private static BitFlipEnv EnvAt(int nBits, ulong state, ulong target, int t = 0)
    {
        var env = new BitFlipEnv(nBits);
        env.ReadState(new BinaryReader(new MemoryStream(StateBytes(nBits, state, target, t))));
        return env;
    }

    private static byte[] StateBytes(int nBits, ulong state, ulong target, int t)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(nBits); writer.Write(state); writer.Write(target); writer.Write(t);
            new Rng(0).WriteState(writer);
        }
        return stream.ToArray();
    }

    private static float[] Bits(params int[] bits) => bits.Select(b => (float)b).ToArray();

    [Fact]
    public void Step_flips_exactly_the_bits_whose_action_is_positive()
    {
        // state bits 0..7 = 1,0,1,0,0,1,0,1
        var env = EnvAt(8, state: 0b1010_0101, target: 0);
        float[] action = [0.5f, 0f, -0.3f, float.Epsilon, -0f, 1f, -1f, 0.0001f];
        // flips bits 0, 3, 5, 7; zero, negative zero and negative values flip nothing
        var step = env.Step(action);

        Assert.Equal(Bits(0, 0, 1, 1, 0, 0, 0, 0), step.Observation.Observation);
        Assert.Equal(Bits(0, 0, 1, 1, 0, 0, 0, 0), step.Observation.AchievedGoal);
        Assert.Equal(Bits(0, 0, 0, 0, 0, 0, 0, 0), step.Observation.DesiredGoal);
        Assert.Equal(0b0000_1100UL, env.State);
        Assert.Equal(-1f, step.Reward);
        Assert.False(step.Info.IsSuccess);
    }

    [Fact]
    public void An_all_nonpositive_action_changes_nothing_and_an_all_positive_one_inverts_every_bit()
    {
        var env = EnvAt(5, state: 0b10110, target: 0b00001);
        Assert.Equal(Bits(0, 1, 1, 0, 1), env.Step([0f, -1f, -0.5f, 0f, -0f]).Observation.Observation);
        Assert.Equal(Bits(1, 0, 0, 1, 0), env.Step([1f, 0.2f, 0.3f, 0.4f, 0.5f]).Observation.Observation);
    }

    [Fact]
    public void Reaching_the_target_gives_reward_0_and_success_but_never_terminates()
    {
        var env = EnvAt(4, state: 0b1001, target: 0b1101);
        var reached = env.Step([-1f, -1f, 1f, -1f]); // flips bit 2
        Assert.Equal(0f, reached.Reward);
        Assert.True(reached.Info.IsSuccess);
        Assert.False(reached.Terminated);

        var stay = env.Step([-1f, -1f, -1f, -1f]);
        Assert.Equal(0f, stay.Reward);
        Assert.True(stay.Info.IsSuccess);

        var leave = env.Step([-1f, 1f, -1f, -1f]);
        Assert.Equal(-1f, leave.Reward);
        Assert.False(leave.Info.IsSuccess);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(64)]
    public void Episodes_are_truncated_after_n_bits_steps(int nBits)
    {
        var env = new BitFlipEnv(nBits);
        Assert.Equal(nBits, env.MaxEpisodeSteps);
        env.Reset(3);
        var action = new float[nBits];
        for (int t = 1; t < nBits; t++)
        {
            var step = env.Step(action);
            Assert.False(step.Truncated, $"step {t}");
            Assert.False(step.Terminated);
        }
        var last = env.Step(action);
        Assert.True(last.Truncated);
        Assert.False(last.Terminated);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(10)]
    [InlineData(64)]
    public void Reset_never_starts_on_the_target(int nBits)
    {
        var env = new BitFlipEnv(nBits);
        for (ulong seed = 0; seed < 2000; seed++)
        {
            var o = env.Reset(seed);
            Assert.NotEqual(env.State, env.Target);
            Assert.NotEqual(o.AchievedGoal, o.DesiredGoal);
            Assert.Equal(o.Observation, o.AchievedGoal);
            Assert.All(o.Observation.Concat(o.DesiredGoal), b => Assert.True(b is 0f or 1f));
            if (nBits == 1) Assert.Equal(1UL - env.State, env.Target);
            if (nBits < 64) Assert.Equal(0UL, (env.State | env.Target) >> nBits);
        }
    }

    [Fact]
    public void Reset_draws_states_uniformly_and_targets_uniformly_among_the_others()
    {
        var env = new BitFlipEnv(3);
        env.Reset(9);
        const int resets = 16000;
        var states = new int[8];
        var pairs = new int[8, 8];
        for (int i = 0; i < resets; i++)
        {
            env.Reset();
            states[env.State]++;
            pairs[env.State, env.Target]++;
        }
        // Each state: 2000 expected, sd = sqrt(16000 * 1/8 * 7/8) = 41.8; allow about 5 sd.
        Assert.All(states, count => Assert.InRange(count, 1790, 2210));
        // Each (state, other target): 2000/7 = 285.7 expected, sd about 15.6; allow about 5 sd.
        for (int s = 0; s < 8; s++)
            for (int t = 0; t < 8; t++)
                if (s == t) Assert.Equal(0, pairs[s, t]);
                else Assert.InRange(pairs[s, t], 207, 364);
    }

    [Fact]
    public void Sixty_four_bits_use_the_top_bit()
    {
        var env = EnvAt(64, state: 0, target: 1UL << 63);
        var action = Enumerable.Repeat(-1f, 64).ToArray();
        action[63] = 1f;
        var step = env.Step(action);
        Assert.Equal(1f, step.Observation.Observation[63]);
        Assert.Equal(0f, step.Reward);
        Assert.Equal(1UL << 63, env.State);
    }

    [Fact]
    public void Spaces_follow_n_bits()
    {
        var env = new BitFlipEnv(12);
        Assert.Equal("BitFlip-v0", env.Id);
        Assert.Equal(12, env.ActionSpace.Size);
        Assert.All(env.ActionSpace.Low, v => Assert.Equal(-1f, v));
        Assert.All(env.ActionSpace.High, v => Assert.Equal(1f, v));
        foreach (var box in new[] { env.ObservationSpace.Observation, env.ObservationSpace.AchievedGoal, env.ObservationSpace.DesiredGoal })
        {
            Assert.Equal(12, box.Size);
            Assert.All(box.Low, v => Assert.Equal(0f, v));
            Assert.All(box.High, v => Assert.Equal(1f, v));
        }
        Assert.Equal(10, new BitFlipEnv().BitCount);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-3)]
    public void N_bits_outside_1_to_64_is_refused(int nBits)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new BitFlipEnv(nBits));
        Assert.Equal("nBits", ex.ParamName);
    }

    [Fact]
    public void Batched_reward_equals_per_pair_reward()
    {
        const int n = 6, rows = 1000;
        var rng = new Rng(4);
        var achieved = new float[rows * n];
        var desired = new float[rows * n];
        var expected = new float[rows];
        for (int i = 0; i < rows; i++)
        {
            for (int j = 0; j < n; j++) achieved[i * n + j] = rng.NextBool() ? 1f : 0f;
            // A third of the pairs are equal, a third differ in one bit, a third are independent.
            for (int j = 0; j < n; j++) desired[i * n + j] = achieved[i * n + j];
            if (i % 3 == 1) FlipOne(desired, i * n, rng.NextInt(n));
            if (i % 3 == 2) for (int j = 0; j < n; j++) desired[i * n + j] = rng.NextBool() ? 1f : 0f;
            expected[i] = achieved.AsSpan(i * n, n).SequenceEqual(desired.AsSpan(i * n, n)) ? 0f : -1f;
        }
        var env = new BitFlipEnv(n);
        var batch = new float[rows];
        env.ComputeReward(achieved, desired, [], batch);
        for (int i = 0; i < rows; i++)
        {
            var one = new float[1];
            env.ComputeReward(achieved.AsSpan(i * n, n), desired.AsSpan(i * n, n), [], one);
            Assert.Equal(one[0], batch[i]);
            Assert.Equal(expected[i], batch[i]);
        }
        Assert.InRange(expected.Count(r => r == 0f), 333, 500);

        var terminated = new bool[rows];
        terminated.AsSpan().Fill(true);
        env.ComputeTerminated(achieved, desired, [], terminated);
        Assert.All(terminated, Assert.False);
    }

    private static void FlipOne(float[] goals, int offset, int bit) => goals[offset + bit] = 1f - goals[offset + bit];

    [Fact]
    public void ComputeReward_refuses_goal_arrays_that_do_not_match_n_bits()
    {
        var env = new BitFlipEnv(4);
        Assert.Throws<ArgumentException>(() => env.ComputeReward(new float[8], new float[8], [], new float[3]));
    }

    [Fact]
    public void Saved_state_continues_the_episode_and_the_generator_identically()
    {
        var env = new BitFlipEnv(10);
        env.Reset(21);
        var rng = new Rng(8);
        float[] RandomAction() => Enumerable.Range(0, 10).Select(_ => (float)rng.Uniform(-1, 1)).ToArray();
        for (int i = 0; i < 4; i++) env.Step(RandomAction());

        using var saved = new MemoryStream();
        env.WriteState(new BinaryWriter(saved));
        var actions = Enumerable.Range(0, 25).Select(_ => RandomAction()).ToArray();
        var original = Play(env, actions);

        var restored = new BitFlipEnv(10);
        restored.Reset(999); // some other state, to be overwritten
        saved.Position = 0;
        restored.ReadState(new BinaryReader(saved));
        Assert.Equal(original, Play(restored, actions));
    }

    // Plays on across episode boundaries, resetting without a seed, so the generator's state matters.
    private static List<string> Play(BitFlipEnv env, float[][] actions)
    {
        var trace = new List<string>();
        foreach (var a in actions)
        {
            if (env.ElapsedSteps >= env.MaxEpisodeSteps)
            {
                env.Reset();
                trace.Add($"reset {env.State} {env.Target}");
            }
            var s = env.Step(a);
            trace.Add($"{env.State} {s.Reward} {s.Truncated}");
        }
        Assert.Contains(trace, line => line.StartsWith("reset", StringComparison.Ordinal));
        return trace;
    }

    [Fact]
    public void ReadState_refuses_a_state_saved_with_another_n_bits()
    {
        var env = new BitFlipEnv(10);
        var ex = Assert.Throws<SavedStateException>(() => env.ReadState(new BinaryReader(new MemoryStream(StateBytes(12, 1, 2, 0)))));
        Assert.Contains("n_bits=12", ex.Message);
        Assert.Throws<SavedStateException>(() => env.ReadState(new BinaryReader(new MemoryStream(StateBytes(10, 1UL << 10, 2, 0)))));
    }

    [Fact]
    public void Step_refuses_an_action_of_the_wrong_length()
    {
        var env = new BitFlipEnv(10);
        env.Reset(0);
        Assert.Throws<ArgumentException>(() => env.Step(new float[9]));
    }
}
