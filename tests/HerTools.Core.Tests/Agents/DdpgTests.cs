using HerTools.Core.Agents;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;
using TorchSharp;
using static HerTools.Core.Tests.Agents.LearnerTestKit;
using static TorchSharp.torch;

namespace HerTools.Core.Tests.Agents;

public class DdpgTests
{
    private const int Action = ActionWidth;

    private static LearnerOptions Small(ulong seed = 1) => new() { HiddenSizes = [16, 16], Seed = seed, Threads = 1 };

    private static Ddpg Learner(LearnerOptions options, float low = -1f, float high = 1f) =>
        new(options, Observation, Goal, Action, [low], [high]);

    [Fact]
    public void Polyak_moves_every_target_parameter_tau_of_the_way_to_the_online_one()
    {
        using var ddpg = Learner(Small() with { Tau = 0.05 });
        ddpg.Update(RandomBatch(new Rng(2)));            // online networks now differ from the targets
        float[] online = Values(ddpg.Critic.FlatParameters), target = Values(ddpg.CriticTarget.FlatParameters);
        float[] actorOnline = Values(ddpg.Actor.FlatParameters), actorTarget = Values(ddpg.ActorTarget.FlatParameters);

        ddpg.UpdateTargets();

        float[] updated = Values(ddpg.CriticTarget.FlatParameters), actorUpdated = Values(ddpg.ActorTarget.FlatParameters);
        Assert.Contains(online.Zip(target), p => p.First != p.Second);
        for (int i = 0; i < online.Length; i++)
            Assert.Equal(target[i] + 0.05f * (online[i] - target[i]), updated[i], 6);
        for (int i = 0; i < actorOnline.Length; i++)
            Assert.Equal(actorTarget[i] + 0.05f * (actorOnline[i] - actorTarget[i]), actorUpdated[i], 6);
    }

    [Fact]
    public void The_layers_compute_with_views_of_the_flat_parameters()
    {
        // Bounds [-1, 3]: center 1, half range 2. A zero actor outputs tanh(0) = 0, i.e. the center;
        // a final bias of atanh(0.5) alone gives 0.5 -> 1 + 2 * 0.5 = 2.
        using var ddpg = Learner(Small(), low: -1f, high: 3f);
        var action = new float[1];
        SetParameters(ddpg.Actor, _ => 0f);
        ddpg.Act([0.3f, -0.2f, 0.9f], action);
        Assert.Equal(1f, action[0]);

        long last = ddpg.Actor.ParameterCount - 1;
        SetParameters(ddpg.Actor, i => i == last ? (float)Math.Atanh(0.5) : 0f);
        ddpg.Act([0.3f, -0.2f, 0.9f], action);
        Assert.Equal(2f, action[0], 5);
    }

    [Theory]
    [InlineData(1000f, true, 0f)]                // target -1 + 0.98 * 1000 = 979, clipped to 0
    [InlineData(-1000f, true, 2500f)]            // target -981, clipped to -1 / (1 - 0.98) = -50
    [InlineData(1000f, false, 979f * 979f)]     // unclipped
    public void Clip_return_clips_the_critic_target_to_the_return_range(float nextQ, bool clip, float expectedLoss)
    {
        // The online critic outputs 0 everywhere and the target critic nextQ everywhere (all weights 0,
        // final bias nextQ), rewards are -1 and nothing terminates: the critic loss is (0 - target)^2.
        using var ddpg = Learner(Small() with { Gamma = 0.98, ClipReturn = clip });
        SetParameters(ddpg.Critic, _ => 0f);
        long last = ddpg.CriticTarget.ParameterCount - 1;
        SetParameters(ddpg.CriticTarget, i => i == last ? nextQ : 0f);
        var batch = RandomBatch(new Rng(3));
        Array.Fill(batch.Rewards, -1f);

        var stats = ddpg.Update(batch);

        Assert.Equal(expectedLoss, stats.CriticLoss, expectedLoss / 1e5f + 1e-4f);
        Assert.Equal(0f, stats.MeanQ);
    }

    [Fact]
    public void Terminated_rows_do_not_bootstrap()
    {
        // Same set-up as above with NotDone 0: the target is the reward alone, loss (0 - (-1))^2 = 1.
        using var ddpg = Learner(Small() with { ClipReturn = false });
        SetParameters(ddpg.Critic, _ => 0f);
        long last = ddpg.CriticTarget.ParameterCount - 1;
        SetParameters(ddpg.CriticTarget, i => i == last ? 1000f : 0f);
        var batch = RandomBatch(new Rng(3));
        Array.Fill(batch.Rewards, -1f);
        Array.Fill(batch.NotDone, 0f);

        Assert.Equal(1f, ddpg.Update(batch).CriticLoss, 5);
    }

    [Fact]
    public void Updates_on_a_fixed_batch_decrease_the_critic_loss()
    {
        // The targets stay put (no UpdateTargets), so the critic regresses on a fixed function.
        using var ddpg = Learner(Small() with { HiddenSizes = [64, 64] });
        var batch = RandomBatch(new Rng(4), rows: 64);
        float first = ddpg.Update(batch).CriticLoss;
        float last = first;
        for (int i = 0; i < 300; i++) last = ddpg.Update(batch).CriticLoss;

        Assert.True(last < 0.2f * first, $"critic loss {first} -> {last}");
        Assert.Equal(301, ddpg.UpdateCount);
    }

    [Fact]
    public void Saving_then_updating_equals_updating_straight_through_bit_for_bit()
    {
        var rng = new Rng(5);
        var batches = Enumerable.Range(0, 10).Select(_ => RandomBatch(rng)).ToArray();
        var options = Small(seed: 6) with { ActionL2 = 1.0, Normalize = true };

        using var straight = Learner(options);
        using var stream = new MemoryStream();
        var straightStats = new List<UpdateStats>();
        for (int i = 0; i < 10; i++)
        {
            if (i == 5) straight.Save(new BinaryWriter(stream));
            straight.UpdateNormalizers(batches[i]);
            straightStats.Add(straight.Update(batches[i]));
            straight.UpdateTargets();
        }

        stream.Position = 0;
        using var resumed = Learner(options with { Seed = 99 });   // different initial weights, all overwritten
        resumed.Load(new BinaryReader(stream));
        Assert.Equal(5, resumed.UpdateCount);
        var resumedStats = new List<UpdateStats>();
        for (int i = 5; i < 10; i++)
        {
            resumed.UpdateNormalizers(batches[i]);
            resumedStats.Add(resumed.Update(batches[i]));
            resumed.UpdateTargets();
        }

        Assert.Equal(straightStats.Skip(5), resumedStats);
        Assert.Equal(Values(straight.Actor.FlatParameters), Values(resumed.Actor.FlatParameters));
        Assert.Equal(Values(straight.Critic.FlatParameters), Values(resumed.Critic.FlatParameters));
        Assert.Equal(Values(straight.ActorTarget.FlatParameters), Values(resumed.ActorTarget.FlatParameters));
        Assert.Equal(Values(straight.CriticTarget.FlatParameters), Values(resumed.CriticTarget.FlatParameters));
        Assert.Equal(straight.GoalNormalizer.Mean, resumed.GoalNormalizer.Mean);
        float[] a = new float[1], b = new float[1];
        straight.Act([0.1f, 0.2f, -0.3f], a);
        resumed.Act([0.1f, 0.2f, -0.3f], b);
        Assert.Equal(a, b);
    }

    [Fact]
    public void Loading_a_state_saved_from_other_networks_is_refused()
    {
        using var saved = Learner(Small());
        using var stream = new MemoryStream();
        saved.Save(new BinaryWriter(stream));
        stream.Position = 0;
        using var other = Learner(Small() with { HiddenSizes = [16, 32] });

        var error = Assert.Throws<SavedStateException>(() => other.Load(new BinaryReader(stream)));
        Assert.Equal("layout", error.Field);
        Assert.Contains("hidden [16, 16]", error.Message);
    }

    [Fact]
    public void One_seed_gives_identical_learners_and_another_seed_different_ones()
    {
        using var first = Learner(Small(seed: 10));
        using var same = Learner(Small(seed: 10));
        using var other = Learner(Small(seed: 11));

        Assert.Equal(Values(first.Actor.FlatParameters), Values(same.Actor.FlatParameters));
        Assert.Equal(Values(first.Critic.FlatParameters), Values(same.Critic.FlatParameters));
        Assert.NotEqual(Values(first.Actor.FlatParameters), Values(other.Actor.FlatParameters));
        Assert.NotEqual(Values(first.Critic.FlatParameters), Values(other.Critic.FlatParameters));
        Assert.Equal(Values(first.Actor.FlatParameters), Values(first.ActorTarget.FlatParameters));
    }

    [Fact]
    public void Initial_weights_do_not_depend_on_torch_global_generator()
    {
        torch.manual_seed(1);
        using var first = Learner(Small(seed: 12));
        torch.manual_seed(2);
        torch.rand(100).Dispose();
        using var second = Learner(Small(seed: 12));

        Assert.Equal(Values(first.Actor.FlatParameters), Values(second.Actor.FlatParameters));
    }

    [Fact]
    public void Initial_weights_lie_within_one_over_root_fan_in()
    {
        using var ddpg = Learner(Small());
        // Actor layers: 3 -> 16 -> 16 -> 1; the first layer's 3 * 16 weights and 16 biases lie within 1 / sqrt(3).
        float[] values = Values(ddpg.Actor.FlatParameters);
        Assert.All(values[..64], v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(3)));
        Assert.Contains(values[..64], v => Math.Abs(v) > 0.25 / Math.Sqrt(3));
        Assert.All(values[64..], v => Assert.InRange(Math.Abs(v), 0, 0.25));   // fan-in 16
    }

    [Fact]
    public void Actions_stay_within_the_bounds()
    {
        using var ddpg = Learner(Small(), low: -0.5f, high: 2f);
        SetParameters(ddpg.Actor, i => 50f * MathF.Sin(i));   // saturates tanh
        var rng = new Rng(13);
        var action = new float[1];
        for (int i = 0; i < 50; i++)
        {
            ddpg.Act([(float)rng.Uniform(-5, 5), (float)rng.Uniform(-5, 5), (float)rng.Uniform(-5, 5)], action);
            Assert.InRange(action[0], -0.5f, 2f);
        }
    }

    [Fact]
    public void Normalizers_are_fed_the_observation_and_goal_columns_apart()
    {
        using var ddpg = Learner(Small() with { Normalize = true });
        var batch = new ReplayBatch(3, Observation, Goal, Action) { Count = 2 };
        float[] inputs = [1f, 10f, -1f, 3f, 20f, -3f, 99f, 99f, 99f];   // third row beyond Count
        inputs.CopyTo(batch.Inputs, 0);

        ddpg.UpdateNormalizers(batch);

        Assert.Equal([2f, 15f], ddpg.ObservationNormalizer.Mean);
        Assert.Equal([-2f], ddpg.GoalNormalizer.Mean);
        Assert.Equal(2, ddpg.GoalNormalizer.Count);
    }

    [Fact]
    public void Act_normalises_its_input_with_the_running_statistics()
    {
        // Observation columns 1, 3 (mean 2, std 1) and 10, 30 (mean 20, std 10); goal 4, 4 (std floored at 0.01).
        using var normalized = Learner(Small(seed: 20) with { Normalize = true });
        using var raw = Learner(Small(seed: 20));
        var batch = new ReplayBatch(2, Observation, Goal, Action) { Count = 2 };
        float[] inputs = [1f, 10f, 4f, 3f, 30f, 4f];
        inputs.CopyTo(batch.Inputs, 0);
        normalized.UpdateNormalizers(batch);
        float[] a = new float[1], b = new float[1];

        normalized.Act([4f, 15f, 4.02f], a);
        raw.Act([2f, -0.5f, 2f], b);   // (4-2)/1, (15-20)/10, (4.02-4)/0.01

        Assert.Equal(b[0], a[0], 5);
    }

    [Fact]
    public void Without_normalisation_the_normalizers_are_left_alone()
    {
        using var ddpg = Learner(Small() with { Normalize = false });
        ddpg.UpdateNormalizers(RandomBatch(new Rng(14)));
        Assert.Equal(0, ddpg.ObservationNormalizer.Count);
    }

    [Fact]
    public void A_NaN_parameter_makes_the_weights_and_the_stats_non_finite()
    {
        using var ddpg = Learner(Small());
        Assert.True(ddpg.WeightsAreFinite());
        Assert.True(ddpg.Update(RandomBatch(new Rng(15))).AllFinite);

        SetParameters(ddpg.Critic, i => i == 3 ? float.NaN : 0.01f);

        Assert.False(ddpg.WeightsAreFinite());
        Assert.False(ddpg.Update(RandomBatch(new Rng(16))).AllFinite);
    }

    [Fact]
    public void Every_call_reapplies_the_learners_thread_count()
    {
        using var ddpg = Learner(Small() with { Threads = 1 });
        torch.set_num_threads(2);

        ddpg.Act([0f, 0f, 0f], new float[1]);

        Assert.Equal(1, torch.get_num_threads());
    }

    [Fact]
    public void A_batch_of_another_shape_is_refused()
    {
        using var ddpg = Learner(Small());
        var batch = new ReplayBatch(4, Observation + 1, Goal, Action) { Count = 4 };
        Assert.Throws<ArgumentException>(() => ddpg.Update(batch));
    }

    [Fact]
    public void A_changed_thread_count_is_applied_at_the_next_call()
    {
        int before = torch.get_num_threads();
        try
        {
            using var ddpg = Learner(Small() with { Threads = 1 });
            var action = new float[Action];
            ddpg.Act([0.1f, 0.2f, 0.3f], action);
            Assert.Equal(1, torch.get_num_threads());
            ddpg.Threads = 2;
            ddpg.Act([0.1f, 0.2f, 0.3f], action);
            Assert.Equal(2, torch.get_num_threads());
            ddpg.Threads = 1;
            ddpg.Update(RandomBatch(new Rng(3)));
            Assert.Equal(1, torch.get_num_threads());
            Assert.Throws<ArgumentOutOfRangeException>(() => ddpg.Threads = -1);
        }
        finally
        {
            torch.set_num_threads(before);
        }
    }
}
