using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

public class VecGoalEnvTests
{
    /// <summary>A PointGoal-v0 whose step waits for <paramref name="rendezvous"/> (when given), so the step cannot finish unless
    /// its siblings are stepped at the same time; it records the thread it ran on.</summary>
    private class RendezvousEnv(Barrier? rendezvous) : IGoalEnv
    {
        private readonly PointGoalEnv _inner = new();
        public int? SteppedOnThread { get; private set; }
        public Exception? Failure { get; init; }
        public string Id => _inner.Id;
        public GoalObservationSpace ObservationSpace => _inner.ObservationSpace;
        public Box ActionSpace => _inner.ActionSpace;
        public int MaxEpisodeSteps => _inner.MaxEpisodeSteps;
        public GoalObservation Reset(ulong? seed = null) => _inner.Reset(seed);

        public StepResult Step(ReadOnlySpan<float> action)
        {
            SteppedOnThread = Environment.CurrentManagedThreadId;
            if (Failure is not null) throw Failure;
            if (rendezvous is not null && !rendezvous.SignalAndWait(TimeSpan.FromSeconds(20)))
                throw new TimeoutException("the other copies were not stepped at the same time");
            return _inner.Step(action);
        }

        public void ComputeReward(ReadOnlySpan<float> a, ReadOnlySpan<float> d, ReadOnlySpan<StepInfo> i, Span<float> r) => _inner.ComputeReward(a, d, i, r);
        public void WriteState(BinaryWriter writer) => _inner.WriteState(writer);
        public void ReadState(BinaryReader reader) => _inner.ReadState(reader);
    }

    private sealed class ThreadSafeRendezvousEnv(Barrier? rendezvous) : RendezvousEnv(rendezvous), IThreadSafeEnv;

    [Fact]
    public void Thread_safe_copies_are_stepped_at_the_same_time()
    {
        using var rendezvous = new Barrier(3);
        var vec = new VecGoalEnv([new ThreadSafeRendezvousEnv(rendezvous), new ThreadSafeRendezvousEnv(rendezvous), new ThreadSafeRendezvousEnv(rendezvous)]);
        Assert.True(vec.SteppedConcurrently);
        for (int i = 0; i < 3; i++) vec[i].Reset((ulong)i);
        var results = new StepResult[3];
        vec.Step(3, [0.5f, -0.5f, 1f], results); // a sequential step would wait forever at the barrier (and time out)
        Assert.All(results, r => Assert.NotNull(r.Observation));
    }

    [Fact]
    public void Copies_that_do_not_say_they_are_thread_safe_are_stepped_one_after_another_on_the_calling_thread()
    {
        var copies = new[] { new RendezvousEnv(null), new RendezvousEnv(null) };
        var vec = new VecGoalEnv(copies);
        Assert.False(vec.SteppedConcurrently);
        foreach (var copy in copies) copy.Reset(1);
        vec.Step(2, [0.1f, 0.2f], new StepResult[2]);
        Assert.All(copies, c => Assert.Equal(Environment.CurrentManagedThreadId, c.SteppedOnThread));
    }

    [Fact]
    public void Concurrent_steps_give_each_copy_what_stepping_it_alone_gives()
    {
        const int Copies = 4;
        var vec = new VecGoalEnv(Enumerable.Range(0, Copies).Select(_ => (IGoalEnv)new PointGoalEnv()).ToList());
        var alone = Enumerable.Range(0, Copies).Select(_ => new PointGoalEnv()).ToArray();
        Assert.True(vec.SteppedConcurrently);
        var results = new StepResult[Copies];
        var ended = new bool[Copies];
        var firsts = new GoalObservation[Copies];
        for (int i = 0; i < Copies; i++) Assert.Equal(alone[i].Reset((ulong)(10 + i)).Observation, vec[i].Reset((ulong)(10 + i)).Observation);
        float[] actions = new float[Copies];
        for (int t = 0; t < 120; t++)
        {
            for (int i = 0; i < Copies; i++) actions[i] = MathF.Sin(t * 0.3f + i);
            vec.Step(Copies, actions, results);
            for (int i = 0; i < Copies; i++)
            {
                var expected = alone[i].Step([actions[i]]);
                Assert.Equal(expected.Observation.Observation, results[i].Observation.Observation);
                Assert.Equal(expected.Reward, results[i].Reward);
                ended[i] = results[i].Truncated;
                if (ended[i]) Assert.Equal(alone[i].Reset().Observation, NextReset(vec, ended, firsts, i));
            }
        }
    }

    private static float[] NextReset(VecGoalEnv vec, bool[] ended, GoalObservation[] firsts, int copy)
    {
        var only = new bool[ended.Length];
        only[copy] = true;
        vec.Reset(only, firsts);
        return firsts[copy].Observation;
    }

    [Fact]
    public void A_failing_step_is_reported_for_the_lowest_copy_that_failed()
    {
        var vec = new VecGoalEnv(
        [
            new ThreadSafeRendezvousEnv(null),
            new ThreadSafeRendezvousEnv(null) { Failure = new InvalidOperationException("copy 1 failed") },
            new ThreadSafeRendezvousEnv(null),
            new ThreadSafeRendezvousEnv(null) { Failure = new InvalidOperationException("copy 3 failed") },
        ]);
        for (int i = 0; i < 4; i++) vec[i].Reset(1);
        var e = Assert.Throws<InvalidOperationException>(() => vec.Step(4, new float[4], new StepResult[4]));
        Assert.Equal("copy 1 failed", e.Message);
    }

    [Fact]
    public void The_budgets_last_step_steps_only_the_first_copies()
    {
        var copies = new[] { new RendezvousEnv(null), new RendezvousEnv(null), new RendezvousEnv(null) };
        var vec = new VecGoalEnv(copies);
        foreach (var copy in copies) copy.Reset(1);
        vec.Step(2, new float[3], new StepResult[3]);
        Assert.NotNull(copies[1].SteppedOnThread);
        Assert.Null(copies[2].SteppedOnThread);
    }
}
