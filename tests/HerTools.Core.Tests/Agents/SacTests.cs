using HerTools.Core.Agents;
using HerTools.Core.Randomness;
using static HerTools.Core.Tests.Agents.LearnerTestKit;

namespace HerTools.Core.Tests.Agents;

public class SacTests
{
    private static LearnerOptions Small(ulong seed = 1) => new() { HiddenSizes = [16, 16], Seed = seed, Threads = 1, Gamma = 0.9 };

    private static Sac Learner(LearnerOptions options, SacOptions? sac = null) =>
        new(options, sac ?? new SacOptions(), Observation, Goal, ActionWidth, [-1f], [1f]);

    // log pi(a|s) of the tanh-squashed Gaussian, in double: the Gaussian log-density of u = mean + std * eps
    // minus log(1 - tanh(u)^2 + 1e-6) (SB3's correction).
    private static double LogProb(double mean, double logStd, double eps)
    {
        double u = mean + Math.Exp(logStd) * eps;
        double a = Math.Tanh(u);
        return -0.5 * eps * eps - logStd - 0.5 * Math.Log(2 * Math.PI) - Math.Log(1 - a * a + 1e-6);
    }

    [Theory]
    // The tolerance is wider where std = e^2 saturates tanh: there float32's 1 - tanh(u)^2 keeps only a few digits
    // (unclamped, log std 5 would be off by 3 per row).
    [InlineData(0.3f, -1.0f, -1.0, 1e-4)]   // std e^-1
    [InlineData(-0.8f, 0.5f, 0.5, 1e-4)]
    [InlineData(0.1f, 5.0f, 2.0, 3e-3)]     // log std clamped to SB3's upper bound 2
    [InlineData(0.1f, -30f, -20.0, 1e-4)]   // and to its lower bound -20
    public void The_log_probability_has_the_tanh_correction_and_the_soft_target_subtracts_alpha_times_it(float mean, float logStdOut, double logStd,
        double tolerance)
    {
        // Actor: constant output [mean, log std]. Critic targets: constants 1.5 and -2, so min = -2. Online critics 0.
        // Fixed alpha 0.2: y = r + 0.9 * (-2 - 0.2 * log pi(a'|s')), and the loss is 0.5 * (mean y^2 + mean y^2).
        using var sac = Learner(Small(seed: 8), new SacOptions { AutoEntropyCoef = false, EntCoef = 0.2 });
        SetConstantOutput(sac.Actor, mean, logStdOut);
        SetConstantOutput(sac.Critic1Target, 1.5f);
        SetConstantOutput(sac.Critic2Target, -2f);
        SetConstantOutput(sac.Critic1, 0f);
        SetConstantOutput(sac.Critic2, 0f);
        var batch = RandomBatch(new Rng(3));

        var stats = sac.Update(batch);

        // The learner's draws: its own stream, per row eps at s then eps at s' (one action component).
        var noise = Rng.ForStream(Small(seed: 8).Seed, "sac-update-noise");
        double logProbSum = 0, squaredTargets = 0;
        for (int r = 0; r < batch.Count; r++)
        {
            double eps = (float)noise.NextNormal(), nextEps = (float)noise.NextNormal();
            logProbSum += LogProb(mean, logStd, eps);
            double y = batch.Rewards[r] + 0.9 * (-2 - 0.2 * LogProb(mean, logStd, nextEps));
            squaredTargets += y * y;
        }
        double expectedLogProb = logProbSum / batch.Count;
        Assert.Equal(expectedLogProb, stats.ActorLogProb!.Value, tolerance);
        double expectedLoss = squaredTargets / batch.Count;
        Assert.Equal(expectedLoss, stats.CriticLoss, Math.Max(tolerance, expectedLoss * 1e-5));
        Assert.Equal(0.2f, stats.EntropyCoef);
        Assert.Equal(0.2f, sac.EntropyCoef);   // fixed: it does not move
    }

    [Theory]
    [InlineData(-3.0f)]   // narrow policy: log pi high, above the target entropy's -(-1): alpha must grow
    [InlineData(1.0f)]    // wide policy: log pi low: alpha must shrink
    public void The_entropy_coefficient_takes_one_Adam_step_on_log_alpha_against_the_entropy_gap(float logStdOut)
    {
        // Loss -(log alpha * (log pi + target)).mean() has gradient g = -mean(log pi + target) in log alpha; Adam's
        // first step moves it by -lr * g / (|g| + 1e-8) = -lr * sign(g). Alpha starts at 1 (ent_coef auto) and the
        // update reports the alpha it used (before the step), as SB3 does.
        using var sac = Learner(Small(seed: 8) with { ActorLearningRate = 0.01 }, new SacOptions());
        Assert.Equal(-1.0, sac.TargetEntropy);
        SetConstantOutput(sac.Actor, 0.2f, logStdOut);
        var batch = RandomBatch(new Rng(3));

        var stats = sac.Update(batch);

        var noise = Rng.ForStream(Small(seed: 8).Seed, "sac-update-noise");
        double logProbSum = 0;
        for (int r = 0; r < batch.Count; r++)
        {
            logProbSum += LogProb(0.2, logStdOut, (float)noise.NextNormal());
            noise.NextNormal();
        }
        double g = -(logProbSum / batch.Count + sac.TargetEntropy);
        double step = -0.01 * g / (Math.Abs(g) + 1e-8);
        Assert.Equal(1f, stats.EntropyCoef);
        Assert.Equal(Math.Exp(step), sac.EntropyCoef, 6);
        Assert.Equal(logStdOut < 0, sac.EntropyCoef > 1f);
    }

    [Fact]
    public void Act_is_the_mean_action_and_Explore_samples_around_it()
    {
        using var sac = Learner(Small());
        SetConstantOutput(sac.Actor, (float)Math.Atanh(0.5), -1f);
        var action = new float[1];
        sac.Act([0.1f, 0.2f, 0.3f], action);
        Assert.Equal(0.5f, action[0], 5);

        var explore = Rng.ForStream(Small().Seed, "sac-explore");
        var samples = new List<float>();
        for (int i = 0; i < 50; i++)
        {
            sac.Explore([0.1f, 0.2f, 0.3f], action);
            double expected = Math.Tanh(Math.Atanh(0.5) + Math.Exp(-1) * (float)explore.NextNormal());
            Assert.Equal(expected, action[0], 5);
            samples.Add(action[0]);
        }
        Assert.True(samples.Distinct().Count() > 40);
    }

    [Fact]
    public void Saving_then_updating_equals_updating_straight_through_bit_for_bit()
    {
        var rng = new Rng(5);
        var batches = Enumerable.Range(0, 8).Select(_ => RandomBatch(rng)).ToArray();
        var options = Small(seed: 6) with { Normalize = true };
        var sacOptions = new SacOptions { AutoEntropyCoef = true, EntCoef = 0.1 };

        using var straight = Learner(options, sacOptions);
        using var stream = new MemoryStream();
        var straightStats = new List<UpdateStats>();
        var straightActions = new List<float>();
        var action = new float[1];
        for (int i = 0; i < 8; i++)
        {
            if (i == 4) straight.Save(new BinaryWriter(stream));
            straight.UpdateNormalizers(batches[i]);
            straightStats.Add(straight.Update(batches[i]));
            straight.UpdateTargets();
            straight.Explore([0.1f, 0.2f, 0.3f], action);
            straightActions.Add(action[0]);
        }

        stream.Position = 0;
        using var resumed = Learner(options with { Seed = 99 }, sacOptions);
        resumed.Load(new BinaryReader(stream));
        var resumedStats = new List<UpdateStats>();
        var resumedActions = new List<float>();
        for (int i = 4; i < 8; i++)
        {
            resumed.UpdateNormalizers(batches[i]);
            resumedStats.Add(resumed.Update(batches[i]));
            resumed.UpdateTargets();
            resumed.Explore([0.1f, 0.2f, 0.3f], action);
            resumedActions.Add(action[0]);
        }

        Assert.Equal(straightStats.Skip(4), resumedStats);
        Assert.Equal(straightActions.Skip(4), resumedActions);
        Assert.Equal(straight.EntropyCoef, resumed.EntropyCoef);
        Assert.NotEqual(0.1f, resumed.EntropyCoef);   // the coefficient was tuned, and its state came back
        foreach (var (a, b) in new[] { (straight.Actor, resumed.Actor), (straight.Critic1, resumed.Critic1), (straight.Critic2, resumed.Critic2),
            (straight.Critic1Target, resumed.Critic1Target), (straight.Critic2Target, resumed.Critic2Target) })
            Assert.Equal(Values(a.FlatParameters), Values(b.FlatParameters));
    }

    [Theory]
    [InlineData("auto", true, 1.0)]
    [InlineData("auto_0.1", true, 0.1)]
    [InlineData("0.05", false, 0.05)]
    public void Ent_coef_reads_SB3s_forms(string text, bool tuned, double value) =>
        Assert.Equal((tuned, value), Config.SacConfig.ParseEntCoef(text));

    [Theory]
    [InlineData("automatic")]
    [InlineData("auto_-1")]
    [InlineData("0")]
    [InlineData("-0.2")]
    public void Ent_coef_refuses_other_text(string text) =>
        Assert.Throws<ArgumentException>(() => Config.SacConfig.ParseEntCoef(text));

    [Fact]
    public void Clip_return_and_action_L2_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Learner(Small() with { ClipReturn = true }));
        Assert.Throws<ArgumentException>(() => Learner(Small() with { ActionL2 = 1.0 }));
        Assert.Equal(-3.0, Config.SacConfig.ParseTargetEntropy("-3"));
        Assert.Null(Config.SacConfig.ParseTargetEntropy("auto"));
        using var sac = new Sac(Small(), new SacOptions { TargetEntropy = -3 }, Observation, Goal, ActionWidth, [-1f], [1f]);
        Assert.Equal(-3.0, sac.TargetEntropy);
    }
}
