using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Tests;

/// <summary>
/// Lanes filled with hand-built PointGoal-v0 episodes whose values name their origin: in lane c, episode e, the state at
/// step k has x = achieved goal = 10000 c + 100 e + k, its action is the same number, and its desired goal is -1 - c. A
/// sampled row tells which lane it came from, and a relabeled goal (non-negative) which lane's achieved goal was picked.
/// </summary>
public class VecHerReplayBufferTests
{
    private const int Batch = 512;

    private static float X(int lane, int episode, int step) => 10000 * lane + 100 * episode + step;

    private static VecHerReplayBuffer NewBuffer(int lanes, double herRatio = 1.0, int capacity = 3000) =>
        new(capacity, Enumerable.Range(0, lanes).Select(_ => (IGoalEnv)new PointGoalEnv()).ToList(), GoalSelectionStrategy.Future, herRatio);

    private static GoalObservation State(int lane, int episode, int step) =>
        new([X(lane, episode, step), 0.5f], [X(lane, episode, step)], [-1 - lane]);

    /// <summary>Adds <paramref name="episodes"/> episodes of <paramref name="steps"/> steps to lane <paramref name="lane"/>, the
    /// last one left in progress when <paramref name="leaveLastOpen"/>.</summary>
    private static void Fill(HerReplayBuffer lane, int laneIndex, int episodes, int steps, bool leaveLastOpen = false)
    {
        for (int e = 0; e < episodes; e++)
        {
            lane.StartEpisode(State(laneIndex, e, 0));
            for (int k = 0; k < steps; k++) lane.AddStep([X(laneIndex, e, k)], State(laneIndex, e, k + 1), -1f, false, k == steps - 1);
            if (!(leaveLastOpen && e == episodes - 1)) lane.EndEpisode();
        }
    }

    private static int LaneOf(float value) => (int)(value / 10000);

    [Fact]
    public void Each_lane_holds_its_share_of_the_capacity()
    {
        var buffer = NewBuffer(3, capacity: 3001);
        Assert.Equal(3, buffer.Lanes.Count);
        Assert.All(buffer.Lanes, lane => Assert.Equal(1000, lane.Capacity));
    }

    [Fact]
    public void With_one_lane_batches_are_those_of_a_single_buffer_from_the_same_generator()
    {
        var single = HerReplayBuffer.ForEnv(new PointGoalEnv(), 3000, GoalSelectionStrategy.Future, 0.8);
        var vecLane = NewBuffer(1, herRatio: 0.8);
        Fill(vecLane.Lanes[0], 0, 4, 50, leaveLastOpen: true);
        Fill(single, 0, 4, 50, leaveLastOpen: true);
        var a = new ReplayBatch(Batch, 2, 1, 1);
        var b = new ReplayBatch(Batch, 2, 1, 1);
        vecLane.Sample(Batch, new Rng(9), a);
        single.Sample(Batch, new Rng(9), b);
        Assert.Equal(b.Inputs, a.Inputs);
        Assert.Equal(b.Rewards, a.Rewards);
        Assert.Equal(b.RelabeledCount, a.RelabeledCount);
    }

    [Fact]
    public void A_row_its_next_state_and_its_relabeled_goal_all_come_from_one_lane()
    {
        var buffer = NewBuffer(3);
        for (int c = 0; c < 3; c++) Fill(buffer.Lanes[c], c, 3, 40, leaveLastOpen: c == 1);
        var batch = new ReplayBatch(Batch, 2, 1, 1);
        buffer.Sample(Batch, new Rng(4), batch);

        Assert.Equal(Batch, batch.Count);
        Assert.Equal(Batch, batch.RelabeledCount);
        for (int i = 0; i < Batch; i++)
        {
            float x = batch.Inputs[i * 3], goal = batch.Inputs[i * 3 + 2];
            int lane = LaneOf(x);
            Assert.Equal(x + 1, batch.NextInputs[i * 3]); // the next state is the next step of the same episode
            Assert.Equal(x, batch.Actions[i]);
            Assert.True(goal >= x + 1, $"row {i}: a future goal {goal} of the row's own episode after {x}");
            Assert.Equal(lane, LaneOf(goal));
            Assert.Equal((int)(x % 10000) / 100, (int)(goal % 10000) / 100); // ... and of its own episode
        }
    }

    [Fact]
    public void Rows_are_drawn_from_the_lanes_in_proportion_to_their_transitions()
    {
        var buffer = NewBuffer(2, herRatio: 0);
        Fill(buffer.Lanes[0], 0, 3, 50); // 150 transitions
        Fill(buffer.Lanes[1], 1, 1, 50); // 50
        var batch = new ReplayBatch(Batch, 2, 1, 1);
        int fromFirst = 0, rows = 0;
        var rng = new Rng(11);
        for (int draw = 0; draw < 20; draw++)
        {
            buffer.Sample(Batch, rng, batch);
            for (int i = 0; i < Batch; i++, rows++)
            {
                if (LaneOf(batch.Inputs[i * 3]) == 0) fromFirst++;
                Assert.Equal(-1 - LaneOf(batch.Inputs[i * 3]), batch.Inputs[i * 3 + 2]); // not relabeled: the lane's own desired goal
            }
        }
        // 3/4 expected; over 10,240 rows the standard error is 0.004.
        Assert.InRange(fromFirst / (double)rows, 0.73, 0.77);
    }

    [Fact]
    public void Saved_lanes_load_into_a_buffer_that_samples_as_the_original()
    {
        var buffer = NewBuffer(3, herRatio: 0.5);
        for (int c = 0; c < 3; c++) Fill(buffer.Lanes[c], c, 2 + c, 30, leaveLastOpen: true);
        var saved = new MemoryStream();
        buffer.Save(saved);
        var copy = NewBuffer(3, herRatio: 0.5);
        saved.Position = 0;
        copy.Load(saved);

        for (int c = 0; c < 3; c++) Assert.Equal(buffer.Lanes[c].TransitionCount, copy.Lanes[c].TransitionCount);
        Assert.True(copy.Lanes[2].IsEpisodeInProgress);
        var a = new ReplayBatch(Batch, 2, 1, 1);
        var b = new ReplayBatch(Batch, 2, 1, 1);
        buffer.Sample(Batch, new Rng(3), a);
        copy.Sample(Batch, new Rng(3), b);
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.Equal(a.NextInputs, b.NextInputs);
    }

    [Fact]
    public void A_damaged_lane_is_refused_by_number_and_no_lane_changes()
    {
        var source = NewBuffer(3);
        for (int c = 0; c < 3; c++) Fill(source.Lanes[c], c, 2, 30);
        var saved = new MemoryStream();
        source.Save(saved);
        byte[] bytes = saved.ToArray();
        bytes[^20] ^= 0xFF; // inside the last lane's payload: its checksum no longer matches

        var target = NewBuffer(3);
        Fill(target.Lanes[0], 0, 1, 10);
        var e = Assert.Throws<ReplayBufferFormatException>(() => target.Load(new MemoryStream(bytes)));
        Assert.StartsWith("environment copy 2 of 3: corrupt replay buffer file", e.Message);
        Assert.Equal(10, target.Lanes[0].TransitionCount);
        Assert.Equal(0, target.Lanes[1].TransitionCount);
    }

    [Fact]
    public void Bytes_after_the_last_lane_are_refused()
    {
        var source = NewBuffer(2);
        Fill(source.Lanes[0], 0, 1, 10);
        Fill(source.Lanes[1], 1, 1, 10);
        var saved = new MemoryStream();
        source.Save(saved);
        saved.WriteByte(0);
        saved.Position = 0;
        var e = Assert.Throws<ReplayBufferFormatException>(() => NewBuffer(2).Load(saved));
        Assert.Equal("1 bytes follow the last of the 2 lanes", e.Message);
    }
}
