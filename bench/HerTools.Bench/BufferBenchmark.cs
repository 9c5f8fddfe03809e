using System.Diagnostics;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Bench;

/// <summary>
/// <c>buffer [--transitions N] [--capacity N] [--batches N] [--seed N]</c>: fills a <see cref="HerReplayBuffer"/> with
/// PointGoal-v0 transitions from seeded random actions, then samples batches of 256 (future, ratio 0.8, rewards and
/// terminations recomputed, assembled into the <see cref="ReplayBatch"/>) on one thread.
/// </summary>
/// <remarks>
/// The environment and the buffer are timed apart: episodes are played in chunks of 1,000 into memory
/// (<c>env_steps_per_s</c>), then the chunk is stored with StartEpisode/AddStep/EndEpisode
/// (<c>fill_transitions_per_s</c>, the buffer alone). Warm-up runs on a small buffer first so that
/// both are timed in optimised code.
/// </remarks>
public static class BufferBenchmark
{
    private const int BatchSize = 256;
    private const int EpisodesPerChunk = 1000;

    public static int Run(BenchArgs args)
    {
        int transitions = args.Int("transitions", 1_000_000);
        int capacity = args.Int("capacity", 1_000_000);
        int batches = args.Int("batches", 100_000);
        ulong seed = (ulong)args.Long("seed", 1);
        args.EnsureAllUsed();

        // Warm-up: the same code paths on a small buffer, so tiered compilation has settled before timing.
        var warmup = NewBuffer(20_000);
        Fill(warmup, 40_000, seed + 100, out _, out _);
        SampleBatches(warmup, 20_000, seed + 101, new ReplayBatch(BatchSize, 2, 1, 1));

        var buffer = NewBuffer(capacity);
        Fill(buffer, transitions, seed, out double envSeconds, out double bufferSeconds);
        BenchArgs.Print("capacity_transitions", capacity);
        BenchArgs.Print("stored_transitions", buffer.TransitionCount);
        BenchArgs.Print("env_steps_per_s", transitions / envSeconds);
        BenchArgs.Print("fill_transitions_per_s", transitions / bufferSeconds);
        BenchArgs.Print("bytes_per_transition", buffer.BytesPerTransition);

        var batch = new ReplayBatch(BatchSize, 2, 1, 1);
        SampleBatches(buffer, 2_000, seed + 2, batch);
        var (seconds, allocated, relabeled, zeroRewards) = SampleBatches(buffer, batches, seed + 3, batch);
        BenchArgs.Print("sample_batches_per_s", batches / seconds);
        BenchArgs.Print("sample_us_per_batch", seconds / batches * 1e6);
        BenchArgs.Print("sample_allocated_bytes", allocated);
        BenchArgs.Print("relabeled_share", relabeled / ((double)batches * BatchSize));
        BenchArgs.Print("zero_reward_share", zeroRewards / ((double)batches * BatchSize));
        return 0;
    }

    private static HerReplayBuffer NewBuffer(int capacity) =>
        HerReplayBuffer.ForEnv(new PointGoalEnv(), capacity, GoalSelectionStrategy.Future, HerReplayBuffer.HerRatioFromSampledGoals(4));

    /// <summary>Plays <paramref name="transitions"/> steps with random actions and stores them; the last episode may stay in progress.</summary>
    private static void Fill(HerReplayBuffer buffer, int transitions, ulong seed, out double envSeconds, out double bufferSeconds)
    {
        var env = new PointGoalEnv();
        var actions = new Rng(seed);
        var firsts = new List<GoalObservation>(EpisodesPerChunk);
        var episodes = new List<(float[] Actions, StepResult[] Steps)>(EpisodesPerChunk);
        var envClock = new Stopwatch();
        var bufferClock = new Stopwatch();
        bool reseed = true;
        for (int remaining = transitions; remaining > 0;)
        {
            envClock.Start();
            firsts.Clear(); episodes.Clear();
            for (int e = 0; e < EpisodesPerChunk && remaining > 0; e++)
            {
                firsts.Add(env.Reset(reseed ? seed : null));
                reseed = false;
                int length = Math.Min(env.MaxEpisodeSteps, remaining);
                var episodeActions = new float[length];
                var steps = new StepResult[length];
                for (int t = 0; t < length; t++)
                {
                    episodeActions[t] = (float)actions.Uniform(-1, 1);
                    steps[t] = env.Step(episodeActions.AsSpan(t, 1));
                }
                episodes.Add((episodeActions, steps));
                remaining -= length;
            }
            envClock.Stop();

            bufferClock.Start();
            for (int e = 0; e < episodes.Count; e++)
            {
                var (episodeActions, steps) = episodes[e];
                buffer.StartEpisode(firsts[e]);
                for (int t = 0; t < steps.Length; t++)
                {
                    var step = steps[t];
                    buffer.AddStep(episodeActions.AsSpan(t, 1), step.Observation, step.Reward, step.Terminated, step.Truncated);
                }
                var last = steps[^1];
                if (last.Terminated || last.Truncated) buffer.EndEpisode();
            }
            bufferClock.Stop();
        }
        envSeconds = envClock.Elapsed.TotalSeconds;
        bufferSeconds = bufferClock.Elapsed.TotalSeconds;
    }

    /// <summary>Samples on this thread; also returns the bytes allocated while sampling (0: Sample reuses its arrays).</summary>
    private static (double Seconds, long AllocatedBytes, long Relabeled, long ZeroRewards) SampleBatches(HerReplayBuffer buffer, int batches, ulong seed,
        ReplayBatch batch)
    {
        var rng = new Rng(seed);
        long relabeled = 0, zeroRewards = 0;
        var clock = new Stopwatch();
        long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        clock.Start();
        for (int b = 0; b < batches; b++)
        {
            buffer.Sample(BatchSize, rng, batch);
            relabeled += batch.RelabeledCount;
            zeroRewards += batch.ZeroRewardCount;
        }
        clock.Stop();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        return (clock.Elapsed.TotalSeconds, allocated, relabeled, zeroRewards);
    }
}
