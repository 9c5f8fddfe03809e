using HerTools.Core.Agents;
using HerTools.Core.Randomness;
using static HerTools.Core.Tests.Agents.LearnerTestKit;

namespace HerTools.Core.Tests.Agents;

public class Td3Tests
{
    private static LearnerOptions Small(ulong seed = 1) => new() { HiddenSizes = [16, 16], Seed = seed, Threads = 1, Gamma = 0.9, ClipReturn = false };

    private static Td3 Learner(LearnerOptions options, Td3Options? td3 = null) =>
        new(options, td3 ?? new Td3Options(), Observation, Goal, ActionWidth, [-1f], [1f]);

    [Fact]
    public void The_critic_target_is_the_minimum_of_the_twin_targets_at_the_smoothed_clipped_target_action()
    {
        // Actor target: constant tanh-input atanh(0.9), so mu'(s') = 0.9 on every row. Noise sigma 1, clip 0.5: draws
        // beyond +-0.5 are clipped, and 0.9 + noise beyond 1 is clipped to 1. Critic 1 target: Q = 3a; critic 2 target:
        // Q = 2.5 everywhere, so the minimum is 3a' where 3a' < 2.5 and 2.5 above. Online critics output 0, so the
        // summed loss is 2 * mean(y^2) with y = r + 0.9 * min(3a', 2.5).
        var td3Options = new Td3Options { TargetPolicyNoise = 1.0, TargetNoiseClip = 0.5 };
        using var td3 = Learner(Small(seed: 4), td3Options);
        SetConstantOutput(td3.ActorTarget, (float)Math.Atanh(0.9));
        SetLinearInAction(td3.Critic1Target, 3f);
        SetConstantOutput(td3.Critic2Target, 2.5f);
        SetConstantOutput(td3.Critic1, 0f);
        SetConstantOutput(td3.Critic2, 0f);
        var batch = RandomBatch(new Rng(3));

        var stats = td3.Update(batch);

        // The same draws the learner makes: its own stream, one standard normal per row and action component.
        var noise = Rng.ForStream(Small(seed: 4).Seed, "td3-target-noise");
        double sum = 0;
        int clippedNoise = 0, clippedAction = 0, minFromSecond = 0;
        for (int r = 0; r < batch.Count; r++)
        {
            double eps = (float)noise.NextNormal() * 1.0f;
            double smoothed = Math.Clamp(eps, -0.5, 0.5);
            if (smoothed != eps) clippedNoise++;
            double nextAction = Math.Clamp(0.9 + smoothed, -1, 1);
            if (nextAction == 1) clippedAction++;
            double nextQ = Math.Min(3 * nextAction, 2.5);
            if (nextQ == 2.5) minFromSecond++;
            double y = batch.Rewards[r] + 0.9 * nextQ;
            sum += y * y;
        }
        Assert.Equal(2 * sum / batch.Count, stats.CriticLoss, 4);
        Assert.Equal(0f, stats.MeanQ);
        // The case exercised every branch: clipped noise, clipped actions, and each twin providing the minimum.
        Assert.InRange(clippedNoise, 1, batch.Count - 1);
        Assert.InRange(clippedAction, 1, batch.Count - 1);
        Assert.InRange(minFromSecond, 1, batch.Count - 1);
    }

    [Fact]
    public void The_actor_and_the_targets_move_only_every_policy_delay_updates()
    {
        using var td3 = Learner(Small(), new Td3Options { PolicyDelay = 3 });
        var rng = new Rng(2);
        float[] actor = Values(td3.Actor.FlatParameters), actorTarget = Values(td3.ActorTarget.FlatParameters);
        float[] criticTarget = Values(td3.Critic1Target.FlatParameters);

        for (int update = 1; update <= 2; update++)
        {
            float[] critic = Values(td3.Critic1.FlatParameters);
            var stats = td3.Update(RandomBatch(rng));
            td3.UpdateTargets();
            Assert.NotEqual(critic, Values(td3.Critic1.FlatParameters));       // critics learn every update
            Assert.Equal(actor, Values(td3.Actor.FlatParameters));              // the actor waits
            Assert.Equal(actorTarget, Values(td3.ActorTarget.FlatParameters));  // and so do all targets
            Assert.Equal(criticTarget, Values(td3.Critic1Target.FlatParameters));
            Assert.Equal(0f, stats.ActorLoss);                                  // no actor loss computed yet
        }

        var third = td3.Update(RandomBatch(rng));
        float[] actorAfter = Values(td3.Actor.FlatParameters), critic1 = Values(td3.Critic1.FlatParameters);
        Assert.NotEqual(actor, actorAfter);
        Assert.NotEqual(0f, third.ActorLoss);
        Assert.Equal(3, td3.UpdateCount);
        Assert.Equal(1, td3.ActorUpdateCount);

        td3.UpdateTargets();
        float[] movedActorTarget = Values(td3.ActorTarget.FlatParameters), movedCriticTarget = Values(td3.Critic1Target.FlatParameters);
        for (int i = 0; i < actorAfter.Length; i++) Assert.Equal(actorTarget[i] + 0.05f * (actorAfter[i] - actorTarget[i]), movedActorTarget[i], 6);
        for (int i = 0; i < critic1.Length; i++) Assert.Equal(criticTarget[i] + 0.05f * (critic1[i] - criticTarget[i]), movedCriticTarget[i], 6);

        // A second call without an actor update in between leaves the targets where they are.
        td3.UpdateTargets();
        Assert.Equal(movedActorTarget, Values(td3.ActorTarget.FlatParameters));
        // The fourth update keeps the actor and reports its last loss.
        Assert.Equal(third.ActorLoss, td3.Update(RandomBatch(rng)).ActorLoss);
        Assert.Equal(actorAfter, Values(td3.Actor.FlatParameters));
    }

    [Fact]
    public void Saving_then_updating_equals_updating_straight_through_bit_for_bit()
    {
        var rng = new Rng(5);
        var batches = Enumerable.Range(0, 9).Select(_ => RandomBatch(rng)).ToArray();
        var options = Small(seed: 6) with { Normalize = true, ActionL2 = 0.5 };

        using var straight = Learner(options);
        using var stream = new MemoryStream();
        var straightStats = new List<UpdateStats>();
        for (int i = 0; i < 9; i++)
        {
            if (i == 5) straight.Save(new BinaryWriter(stream));   // mid-delay: update 5 of a delay of 2
            straight.UpdateNormalizers(batches[i]);
            straightStats.Add(straight.Update(batches[i]));
            straight.UpdateTargets();
        }

        stream.Position = 0;
        using var resumed = Learner(options with { Seed = 99 });
        resumed.Load(new BinaryReader(stream));
        var resumedStats = new List<UpdateStats>();
        for (int i = 5; i < 9; i++)
        {
            resumed.UpdateNormalizers(batches[i]);
            resumedStats.Add(resumed.Update(batches[i]));
            resumed.UpdateTargets();
        }

        Assert.Equal(straightStats.Skip(5), resumedStats);
        foreach (var (a, b) in new[] { (straight.Actor, resumed.Actor), (straight.ActorTarget, resumed.ActorTarget),
            (straight.Critic1, resumed.Critic1), (straight.Critic2, resumed.Critic2),
            (straight.Critic1Target, resumed.Critic1Target), (straight.Critic2Target, resumed.Critic2Target) })
            Assert.Equal(Values(a.FlatParameters), Values(b.FlatParameters));
    }

    [Fact]
    public void Loading_another_learners_state_is_refused()
    {
        using var ddpg = new Ddpg(Small(), Observation, Goal, ActionWidth, [-1f], [1f]);
        using var stream = new MemoryStream();
        ddpg.Save(new BinaryWriter(stream));
        stream.Position = 0;
        using var td3 = Learner(Small());
        var refused = Assert.Throws<SavedStateException>(() => td3.Load(new BinaryReader(stream)));
        Assert.Equal("header", refused.Field);
        Assert.Contains("not a saved TD3 learner", refused.Message);
    }

    [Fact]
    public void A_NaN_parameter_makes_the_weights_non_finite_and_bad_options_are_refused()
    {
        using var td3 = Learner(Small());
        Assert.True(td3.WeightsAreFinite());
        SetParameters(td3.Critic2Target, i => i == 0 ? float.NaN : 0f);
        Assert.False(td3.WeightsAreFinite());
        Assert.Throws<ArgumentException>(() => Learner(Small(), new Td3Options { PolicyDelay = 0 }));
        Assert.Throws<ArgumentException>(() => Learner(Small(), new Td3Options { TargetNoiseClip = -1 }));
    }
}
