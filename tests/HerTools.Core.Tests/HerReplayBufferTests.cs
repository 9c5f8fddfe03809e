using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Tests;

/// <summary>
/// Hand-built PointGoal-v0 episodes whose values name their origin: in episode e, the state at step k has
/// x = achieved goal = 100 e + k and velocity k + 0.5, its action is 1000 e + k, and its desired goal is -1 - e.
/// A sampled row therefore tells which episode and step it came from, and a relabeled goal (non-negative)
/// tells which achieved goal was picked.
/// </summary>
public class HerReplayBufferTests
{
    private const int Batch = 256;

    private static float X(int episode, int step) => 100 * episode + step;
    private static float DesiredGoal(int episode) => -1 - episode;

    private static HerReplayBuffer NewBuffer(GoalSelectionStrategy strategy = GoalSelectionStrategy.Future, double herRatio = 1.0,
        int capacity = 1000, int maxEpisodeSteps = 50, IGoalEnv? env = null) =>
        new(capacity, 2, 1, 1, maxEpisodeSteps, strategy, herRatio, env ?? new PointGoalEnv());

    private static GoalObservation State(int episode, int step, float? desiredGoal = null) =>
        new([X(episode, step), step + 0.5f], [X(episode, step)], [desiredGoal ?? DesiredGoal(episode)]);

    /// <summary>Adds <paramref name="steps"/> steps of episode <paramref name="episode"/>; the last one is truncated unless stated.</summary>
    private static void AddEpisode(HerReplayBuffer buffer, int episode, int steps, bool end = true,
        float? desiredGoal = null, Func<int, bool>? terminatedAt = null, bool truncateLast = true)
    {
        buffer.StartEpisode(State(episode, 0, desiredGoal));
        for (int k = 0; k < steps; k++)
        {
            bool terminated = terminatedAt?.Invoke(k) ?? false;
            bool truncated = truncateLast && end && k == steps - 1;
            buffer.AddStep([1000 * episode + k], State(episode, k + 1, desiredGoal), -1f, terminated, truncated);
        }
        if (end) buffer.EndEpisode();
    }

    /// <summary>What one sampled row says about itself.</summary>
    private readonly record struct Row(int Episode, int Step, bool Relabeled, int GoalEpisode, int GoalIndex, float Goal, float Reward, float NotDone);

    private static List<Row> Rows(ReplayBatch batch)
    {
        var rows = new List<Row>(batch.Count);
        for (int i = 0; i < batch.Count; i++)
        {
            float x = batch.Inputs[i * 3], goal = batch.Inputs[i * 3 + 2];
            int episode = (int)(x / 100), step = (int)x - 100 * episode;
            // Internal consistency of the row: next state is the next step, same goal now and next, action of that step.
            Assert.Equal(step + 0.5f, batch.Inputs[i * 3 + 1]);
            Assert.Equal(x + 1, batch.NextInputs[i * 3]);
            Assert.Equal(step + 1.5f, batch.NextInputs[i * 3 + 1]);
            Assert.Equal(goal, batch.NextInputs[i * 3 + 2]);
            Assert.Equal(1000 * episode + step, batch.Actions[i]);
            // Achieved goals now and next (what relative goals are measured from, and what the reward is computed from).
            Assert.Equal(x, batch.AchievedGoals[i]);
            Assert.Equal(x + 1, batch.NextAchievedGoals[i]);
            bool relabeled = goal >= 0;
            int goalEpisode = relabeled ? (int)(goal / 100) : -1;
            rows.Add(new Row(episode, step, relabeled, goalEpisode, relabeled ? (int)goal - 100 * goalEpisode : -1, goal, batch.Rewards[i], batch.NotDone[i]));
        }
        return rows;
    }

    private static List<Row> SampleRows(HerReplayBuffer buffer, int batches, ulong seed = 7)
    {
        var rng = new Rng(seed);
        var batch = new ReplayBatch(Batch, 2, 1, 1);
        var rows = new List<Row>();
        for (int b = 0; b < batches; b++)
        {
            buffer.Sample(Batch, rng, batch);
            Assert.Equal(Batch, batch.Count);
            rows.AddRange(Rows(batch));
        }
        return rows;
    }

    // ---------------------------------------------------------------- configuration

    [Fact]
    public void Strategy_names_parse_case_insensitively_and_round_trip()
    {
        Assert.Equal(GoalSelectionStrategy.Future, GoalSelectionStrategyNames.Parse("future"));
        Assert.Equal(GoalSelectionStrategy.Final, GoalSelectionStrategyNames.Parse(" FINAL "));
        Assert.Equal(GoalSelectionStrategy.Episode, GoalSelectionStrategyNames.Parse("Episode"));
        foreach (var strategy in Enum.GetValues<GoalSelectionStrategy>())
            Assert.Equal(strategy, GoalSelectionStrategyNames.Parse(strategy.ToConfigName()));
        Assert.False(GoalSelectionStrategyNames.TryParse("random", out _));
        var e = Assert.Throws<ArgumentException>(() => GoalSelectionStrategyNames.Parse("random"));
        Assert.Contains("'random'", e.Message);
        Assert.Contains("future, final, episode", e.Message);
    }

    [Fact]
    public void N_sampled_goal_k_gives_ratio_k_over_k_plus_one()
    {
        Assert.Equal(0.8, HerReplayBuffer.HerRatioFromSampledGoals(4));
        Assert.Equal(0.0, HerReplayBuffer.HerRatioFromSampledGoals(0));
        Assert.Equal(0.5, HerReplayBuffer.HerRatioFromSampledGoals(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => HerReplayBuffer.HerRatioFromSampledGoals(-1));
    }

    [Fact]
    public void Shapes_that_do_not_match_the_env_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => new HerReplayBuffer(1000, 3, 1, 1, 50, GoalSelectionStrategy.Future, 0.8, new PointGoalEnv()));
        Assert.Contains("PointGoal-v0", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => NewBuffer(capacity: 10, maxEpisodeSteps: 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => NewBuffer(herRatio: 1.5));
        var fromEnv = HerReplayBuffer.ForEnv(new PointGoalEnv(), 5000, GoalSelectionStrategy.Final, 0.5);
        Assert.Equal((5000, 2, 1, 1, 50, GoalSelectionStrategy.Final, 0.5),
            (fromEnv.Capacity, fromEnv.ObservationSize, fromEnv.GoalSize, fromEnv.ActionSize, fromEnv.MaxEpisodeSteps, fromEnv.Strategy, fromEnv.HerRatio));
    }

    [Fact]
    public void A_PointGoal_buffer_of_a_million_transitions_takes_at_most_20_bytes_each()
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        var buffer = HerReplayBuffer.ForEnv(new PointGoalEnv(), 1_000_000, GoalSelectionStrategy.Future, 0.8);
        double measuredPerTransition = (GC.GetAllocatedBytesForCurrentThread() - before) / 1_000_000.0;
        // Rows [x, v, ag, action] of 16 bytes, one per step plus one per episode, one flag byte per row,
        // the episode table and the block index: measured as the runtime counts what the constructor allocated.
        Assert.InRange(measuredPerTransition, 16.3, 20.0);
        // The buffer's own account (what the benchmark prints) leaves out only small objects.
        Assert.InRange(buffer.BytesPerTransition, measuredPerTransition - 0.01, measuredPerTransition);
    }

    // ---------------------------------------------------------------- goal selection

    [Fact]
    public void Future_goals_come_from_the_same_episode_at_or_after_the_step()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future);
        AddEpisode(buffer, 0, 5);
        AddEpisode(buffer, 1, 5);
        var rows = SampleRows(buffer, 20);
        var seen = new HashSet<(int Step, int GoalIndex)>();
        foreach (var r in rows)
        {
            Assert.True(r.Relabeled);
            Assert.Equal(r.Episode, r.GoalEpisode);
            // Goal k is the next achieved goal of step k - 1; steps t..T-1 give k in t+1..T.
            Assert.InRange(r.GoalIndex, r.Step + 1, 5);
            seen.Add((r.Step, r.GoalIndex));
        }
        // Every allowed (t, k) pair occurs: 5 + 4 + 3 + 2 + 1, the transition's own next goal included.
        Assert.Equal(15, seen.Count);
    }

    [Fact]
    public void Final_goal_is_the_last_achieved_goal_of_the_episode()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Final);
        AddEpisode(buffer, 0, 5);
        AddEpisode(buffer, 1, 3);
        foreach (var r in SampleRows(buffer, 10))
        {
            Assert.Equal(r.Episode, r.GoalEpisode);
            Assert.Equal(r.Episode == 0 ? 5 : 3, r.GoalIndex);
        }
    }

    [Fact]
    public void Episode_goals_come_from_any_step_of_the_same_episode()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Episode);
        AddEpisode(buffer, 0, 5);
        AddEpisode(buffer, 1, 5);
        var seen = new HashSet<(int Step, int GoalIndex)>();
        foreach (var r in SampleRows(buffer, 20))
        {
            Assert.Equal(r.Episode, r.GoalEpisode);
            // The next achieved goals of the episode's steps: indices 1..T, earlier steps included.
            Assert.InRange(r.GoalIndex, 1, 5);
            seen.Add((r.Step, r.GoalIndex));
        }
        Assert.Equal(25, seen.Count);
    }

    [Fact]
    public void Goals_of_the_episode_in_progress_are_those_reached_so_far()
    {
        foreach (var strategy in Enum.GetValues<GoalSelectionStrategy>())
        {
            var buffer = NewBuffer(strategy);
            AddEpisode(buffer, 0, 5);
            buffer.StartEpisode(State(1, 0));
            for (int k = 0; k < 3; k++) buffer.AddStep([1000 + k], State(1, k + 1), -1f, false, false);
            Assert.Equal(8, buffer.TransitionCount);
            Assert.Equal(1, buffer.EpisodeCount);
            Assert.Equal(3, buffer.CurrentEpisodeSteps);

            var inProgress = SampleRows(buffer, 20).Where(r => r.Episode == 1).ToList();
            Assert.NotEmpty(inProgress);
            foreach (var r in inProgress)
            {
                Assert.Equal(1, r.GoalEpisode);
                Assert.InRange(r.Step, 0, 2);
                switch (strategy)
                {
                    case GoalSelectionStrategy.Future: Assert.InRange(r.GoalIndex, r.Step + 1, 3); break;
                    case GoalSelectionStrategy.Final: Assert.Equal(3, r.GoalIndex); break;
                    default: Assert.InRange(r.GoalIndex, 1, 3); break;
                }
            }
        }
    }

    // ---------------------------------------------------------------- rewards and termination

    [Fact]
    public void Relabeled_rewards_equal_compute_reward_of_the_new_pair()
    {
        var env = new PointGoalEnv();
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.5, env: env);
        AddEpisode(buffer, 0, 5);
        AddEpisode(buffer, 1, 5);
        int zeros = 0, relabeledZeros = 0;
        var rng = new Rng(3);
        var batch = new ReplayBatch(Batch, 2, 1, 1);
        for (int b = 0; b < 10; b++)
        {
            buffer.Sample(Batch, rng, batch);
            var rows = Rows(batch);
            var expected = new float[1];
            for (int i = 0; i < rows.Count; i++)
            {
                var r = rows[i];
                env.ComputeReward([batch.NextInputs[i * 3]], [r.Goal], [], expected);
                Assert.Equal(expected[0], r.Reward);
                // By hand: achieved goals are 1 apart, so only the transition's own next goal is within 0.05.
                Assert.Equal(r.Relabeled && r.GoalIndex == r.Step + 1 ? 0f : -1f, r.Reward);
                if (r.Reward == 0f) { zeros++; if (r.Relabeled) relabeledZeros++; }
            }
            Assert.Equal(rows.Count(r => r.Reward == 0f), batch.ZeroRewardCount);
            Assert.Equal(rows.Count(r => r.Relabeled), batch.RelabeledCount);
        }
        Assert.True(relabeledZeros > 0);
        Assert.Equal(zeros, relabeledZeros); // the real goals (-1 - e) are never reached
    }

    [Fact]
    public void Terminated_is_recomputed_when_the_env_terminates_on_success()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Episode, herRatio: 0.5, env: new PointGoalEnv(terminateOnSuccess: true));
        // The real goal is reached at the last step (x = 5): that step terminated, and is stored as such.
        AddEpisode(buffer, 0, 5, desiredGoal: X(0, 5), terminatedAt: k => k == 4, truncateLast: false);
        var rows = SampleRows(buffer, 20);
        foreach (var r in rows)
        {
            bool reached = r.Goal == X(0, r.Step + 1);
            Assert.Equal(reached ? 0f : -1f, r.Reward);
            Assert.Equal(reached ? 0f : 1f, r.NotDone);
        }
        // Relabeled with their own next goal, earlier steps terminate although their stored flag says no ...
        Assert.Contains(rows, r => r.Relabeled && r.Step < 4 && r.NotDone == 0f);
        // ... and the last step, relabeled with an earlier goal, no longer does although its stored flag says yes.
        Assert.Contains(rows, r => r.Relabeled && r.Step == 4 && r.GoalIndex < 5 && r.NotDone == 1f);
        // (The real goal, 5, is also an achieved goal here, so Row.Relabeled cannot tell real rows from relabeled ones.)
        Assert.Contains(rows, r => r.Step == 4 && r.Goal == X(0, 5) && r.NotDone == 0f);
    }

    [Fact]
    public void Stored_terminated_is_kept_when_the_env_cannot_compute_it()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.5, env: new PointGoalWithoutTermination());
        AddEpisode(buffer, 0, 5, terminatedAt: k => k == 2, truncateLast: false);
        var rows = SampleRows(buffer, 10);
        foreach (var r in rows) Assert.Equal(r.Step == 2 ? 0f : 1f, r.NotDone);
        Assert.Contains(rows, r => r.Relabeled && r.Step == 2);
        Assert.Contains(rows, r => r.Relabeled && r.GoalIndex == r.Step + 1 && r.Step != 2 && r.NotDone == 1f);
    }

    [Fact]
    public void Not_done_uses_terminated_only_so_truncation_still_bootstraps()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.0);
        AddEpisode(buffer, 0, 5); // last step truncated, none terminated
        var rows = SampleRows(buffer, 5);
        Assert.Contains(rows, r => r.Step == 4);
        Assert.All(rows, r => Assert.Equal(1f, r.NotDone));
        Assert.All(rows, r => Assert.False(r.Relabeled));
        Assert.All(rows, r => Assert.Equal(-1f, r.Reward));
    }

    // ---------------------------------------------------------------- sampling statistics

    [Fact]
    public void Her_ratio_is_respected_within_a_statistical_margin()
    {
        double ratio = HerReplayBuffer.HerRatioFromSampledGoals(4);
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: ratio);
        for (int e = 0; e < 4; e++) AddEpisode(buffer, e, 50);
        var rows = SampleRows(buffer, 100);
        int relabeled = rows.Count(r => r.Relabeled);
        // 25,600 Bernoulli(0.8) draws: mean 20,480, standard deviation 64; five deviations of margin.
        Assert.InRange(relabeled, 20480 - 320, 20480 + 320);
    }

    [Fact]
    public void Transitions_are_drawn_uniformly_whatever_the_episode_lengths()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.0);
        AddEpisode(buffer, 0, 1);
        AddEpisode(buffer, 1, 9);
        var rows = SampleRows(buffer, 100);
        // 10 transitions, 25,600 draws: 2,560 each, standard deviation 48.
        foreach (var group in rows.GroupBy(r => (r.Episode, r.Step)))
            Assert.InRange(group.Count(), 2560 - 240, 2560 + 240);
        Assert.Equal(10, rows.Select(r => (r.Episode, r.Step)).Distinct().Count());
    }

    [Fact]
    public void Same_seed_gives_same_batches()
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.8);
        for (int e = 0; e < 6; e++) AddEpisode(buffer, e, 7);
        var a = SampleRows(buffer, 5, seed: 11);
        var b = SampleRows(buffer, 5, seed: 11);
        var c = SampleRows(buffer, 5, seed: 12);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    // ---------------------------------------------------------------- capacity and eviction

    [Fact]
    public void Oldest_episode_is_evicted_first_when_capacity_is_reached()
    {
        var buffer = NewBuffer(herRatio: 0.0, capacity: 10, maxEpisodeSteps: 5);
        AddEpisode(buffer, 0, 5);
        AddEpisode(buffer, 1, 5);
        Assert.Equal(10, buffer.TransitionCount);
        // The first step of episode 2 would be the 11th transition: episode 0 goes, whole.
        buffer.StartEpisode(State(2, 0));
        buffer.AddStep([2000], State(2, 1), -1f, false, false);
        Assert.Equal(6, buffer.TransitionCount);
        Assert.Equal(1, buffer.EpisodeCount);
        var rows = SampleRows(buffer, 5);
        Assert.DoesNotContain(rows, r => r.Episode == 0);
        Assert.Contains(rows, r => r.Episode == 1);
        Assert.Contains(rows, r => r.Episode == 2);
    }

    [Theory]
    [InlineData(40, 400, 8)]   // rows all in one 64-row block
    [InlineData(300, 700, 8)]  // rows over several blocks, about ten passes over the array
    [InlineData(40, 200, 1)]   // one-step episodes: more episodes per pass than the episode table has slots
    public void Ring_stays_consistent_over_many_wraps_with_episodes_of_any_length(int capacity, int episodes, int longestEpisode)
    {
        var lengths = new Rng(5);
        var buffer = NewBuffer(GoalSelectionStrategy.Episode, herRatio: 0.5, capacity: capacity, maxEpisodeSteps: 8);
        var stepsOf = new List<int>();
        for (int e = 0; e < episodes; e++)
        {
            int steps = 1 + lengths.NextInt(longestEpisode);
            bool end = e < episodes - 1;
            AddEpisode(buffer, e, steps, end);
            stepsOf.Add(steps);

            // The buffer holds the newest episodes: a suffix of everything added, whose steps sum to TransitionCount.
            int oldestKept = e, kept = steps;
            while (kept < buffer.TransitionCount) kept += stepsOf[--oldestKept];
            Assert.Equal(buffer.TransitionCount, kept);
            Assert.Equal(e - oldestKept + (end ? 1 : 0), buffer.EpisodeCount);
            // Rows for capacity transitions in full episodes bind first with shorter ones, but never below half.
            Assert.InRange(buffer.TransitionCount, e < capacity ? 1 : capacity / 2, capacity);

            foreach (var r in SampleRows(buffer, 1, seed: (ulong)e))
            {
                Assert.InRange(r.Episode, oldestKept, e);
                Assert.InRange(r.Step, 0, stepsOf[r.Episode] - 1);
                if (r.Relabeled) { Assert.Equal(r.Episode, r.GoalEpisode); Assert.InRange(r.GoalIndex, 1, stepsOf[r.Episode]); }
                else Assert.Equal(DesiredGoal(r.Episode), r.Goal);
            }
        }
    }

    [Fact]
    public void Full_length_episodes_fill_the_whole_capacity()
    {
        var buffer = NewBuffer(herRatio: 0.0, capacity: 200, maxEpisodeSteps: 10);
        for (int e = 0; e < 95; e++)
        {
            AddEpisode(buffer, e, 10);
            Assert.Equal(Math.Min(10 * (e + 1), 200), buffer.TransitionCount);
        }
        var episodes = SampleRows(buffer, 10).Select(r => r.Episode).Distinct().Order().ToList();
        Assert.Equal(Enumerable.Range(75, 20), episodes);
    }

    // ---------------------------------------------------------------- misuse

    [Fact]
    public void Steps_outside_an_episode_and_past_the_time_limit_are_refused()
    {
        var buffer = NewBuffer(capacity: 100, maxEpisodeSteps: 3);
        Assert.Throws<InvalidOperationException>(() => buffer.AddStep([0f], State(0, 1), -1f, false, false));
        Assert.Throws<InvalidOperationException>(() => buffer.Sample(4, new Rng(1), new ReplayBatch(4, 2, 1, 1)));
        buffer.StartEpisode(State(0, 0));
        Assert.Throws<InvalidOperationException>(() => buffer.EndEpisode());
        Assert.Throws<InvalidOperationException>(() => buffer.StartEpisode(State(0, 0)));
        Assert.Throws<ArgumentException>(() => buffer.AddStep([0f, 0f], State(0, 1), -1f, false, false));
        for (int k = 0; k < 3; k++) buffer.AddStep([k], State(0, k + 1), -1f, false, k == 2);
        Assert.Throws<InvalidOperationException>(() => buffer.AddStep([3f], State(0, 4), -1f, false, false));
        buffer.EndEpisode();
        Assert.Throws<ArgumentOutOfRangeException>(() => buffer.Sample(5, new Rng(1), new ReplayBatch(4, 2, 1, 1)));
        Assert.Throws<ArgumentException>(() => buffer.Sample(4, new Rng(1), new ReplayBatch(4, 3, 1, 1)));
    }

    // ---------------------------------------------------------------- save and load

    private static HerReplayBuffer FilledForSaving(int capacity = 60)
    {
        var buffer = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.8, capacity: capacity, maxEpisodeSteps: 8);
        var lengths = new Rng(9);
        for (int e = 0; e < 30; e++) AddEpisode(buffer, e, 1 + lengths.NextInt(8));
        AddEpisode(buffer, 30, 4, end: false); // saved mid-episode
        return buffer;
    }

    private static byte[] Saved(HerReplayBuffer buffer)
    {
        var stream = new MemoryStream();
        buffer.Save(stream);
        return stream.ToArray();
    }

    private static void AssertSameBatches(HerReplayBuffer a, HerReplayBuffer b, ulong seed)
    {
        var rngA = new Rng(seed); var rngB = new Rng(seed);
        var batchA = new ReplayBatch(Batch, 2, 1, 1); var batchB = new ReplayBatch(Batch, 2, 1, 1);
        for (int n = 0; n < 5; n++)
        {
            a.Sample(Batch, rngA, batchA);
            b.Sample(Batch, rngB, batchB);
            Assert.Equal(batchA.Inputs, batchB.Inputs);
            Assert.Equal(batchA.NextInputs, batchB.NextInputs);
            Assert.Equal(batchA.Actions, batchB.Actions);
            Assert.Equal(batchA.Rewards, batchB.Rewards);
            Assert.Equal(batchA.NotDone, batchB.NotDone);
            Assert.Equal((batchA.RelabeledCount, batchA.ZeroRewardCount), (batchB.RelabeledCount, batchB.ZeroRewardCount));
        }
    }

    [Fact]
    public void Save_and_load_round_trip_bit_exact_including_the_episode_in_progress()
    {
        var original = FilledForSaving();
        byte[] file = Saved(original);
        var loaded = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.8, capacity: 60, maxEpisodeSteps: 8);
        loaded.Load(new MemoryStream(file));

        Assert.Equal(file, Saved(loaded));
        Assert.Equal((original.TransitionCount, original.EpisodeCount, original.CurrentEpisodeSteps, true),
            (loaded.TransitionCount, loaded.EpisodeCount, loaded.CurrentEpisodeSteps, loaded.IsEpisodeInProgress));
        AssertSameBatches(original, loaded, seed: 21);

        // Both carry on identically: finish the episode in progress, add more (wrapping the ring), sample again.
        foreach (var buffer in new[] { original, loaded })
        {
            for (int k = 4; k < 6; k++) buffer.AddStep([1000 * 30 + k], State(30, k + 1), -1f, false, k == 5);
            buffer.EndEpisode();
            for (int e = 31; e < 45; e++) AddEpisode(buffer, e, 1 + e % 8);
        }
        Assert.Equal(Saved(original), Saved(loaded));
        AssertSameBatches(original, loaded, seed: 22);
    }

    [Fact]
    public void Load_reads_exactly_its_bytes_so_more_data_may_follow()
    {
        var original = FilledForSaving();
        var stream = new MemoryStream();
        original.Save(stream);
        stream.Write([1, 2, 3]);
        stream.Position = 0;
        var loaded = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.8, capacity: 60, maxEpisodeSteps: 8);
        loaded.Load(stream);
        Assert.Equal(stream.Length - 3, stream.Position);
    }

    [Fact]
    public void Truncated_file_is_refused_and_the_buffer_is_left_as_it_was()
    {
        byte[] file = Saved(FilledForSaving());
        var target = NewBuffer(GoalSelectionStrategy.Future, herRatio: 0.8, capacity: 60, maxEpisodeSteps: 8);
        AddEpisode(target, 7, 3);
        byte[] before = Saved(target);
        foreach (int length in new[] { 0, 5, 12, 19, 20, 100, file.Length - 9, file.Length - 1 })
        {
            var e = Assert.Throws<ReplayBufferFormatException>(() => target.Load(new MemoryStream(file[..length])));
            Assert.Contains("truncated", e.Message);
            Assert.IsAssignableFrom<HerToolsException>(e);
        }
        Assert.Equal(before, Saved(target));
    }

    [Fact]
    public void Corrupt_file_is_refused_by_its_checksum()
    {
        byte[] file = Saved(FilledForSaving());
        file[file.Length / 2] ^= 0x10;
        var e = Assert.Throws<ReplayBufferFormatException>(() =>
            NewBuffer(capacity: 60, maxEpisodeSteps: 8).Load(new MemoryStream(file)));
        Assert.Contains("checksum", e.Message);
    }

    [Fact]
    public void Foreign_file_and_other_versions_are_refused()
    {
        var buffer = NewBuffer(capacity: 60, maxEpisodeSteps: 8);
        var foreign = Assert.Throws<ReplayBufferFormatException>(() => buffer.Load(new MemoryStream("PK\u0003\u0004 a zip, not a buffer"u8.ToArray())));
        Assert.Contains("not a HerTools replay buffer file", foreign.Message);

        byte[] file = Saved(FilledForSaving());
        BitConverter.GetBytes(2).CopyTo(file, 8);
        var version = Assert.Throws<ReplayBufferFormatException>(() => buffer.Load(new MemoryStream(file)));
        Assert.Contains("version 2", version.Message);
    }

    [Fact]
    public void File_from_a_buffer_of_another_shape_or_env_is_refused()
    {
        byte[] file = Saved(FilledForSaving());
        var otherCapacity = Assert.Throws<ReplayBufferFormatException>(() =>
            NewBuffer(capacity: 64, maxEpisodeSteps: 8).Load(new MemoryStream(file)));
        Assert.Contains("capacity 60; this buffer has 64", otherCapacity.Message);
        var otherLimit = Assert.Throws<ReplayBufferFormatException>(() =>
            NewBuffer(capacity: 60, maxEpisodeSteps: 10).Load(new MemoryStream(file)));
        Assert.Contains("max_episode_steps", otherLimit.Message);
        var otherEnv = Assert.Throws<ReplayBufferFormatException>(() =>
            NewBuffer(capacity: 60, maxEpisodeSteps: 8, env: new PointGoalWithoutTermination()).Load(new MemoryStream(file)));
        Assert.Contains("filled from PointGoal-v0", otherEnv.Message);
    }
}
