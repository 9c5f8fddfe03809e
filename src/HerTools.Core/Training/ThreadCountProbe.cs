using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Training;

/// <summary>
/// Chooses the intra-op thread count for <c>threads: 0</c> (auto) by timing the run's own update on a
/// throw-away learner of the same shape, once with one thread and once with each larger count up to the
/// machine's cores, and keeping the fastest. On an idle machine OpenMP's spinning threads win; under a
/// competing load they lose badly (measured here: 4 updates/s on two threads against 60 on one), so this
/// is how a run never ends up slower on two threads than on one. The probe draws from its own generator
/// and touches nothing of the run, so only the chosen count (not the run's random streams) depends on it.
/// </summary>
internal static class ThreadCountProbe
{
    private const int WarmupUpdates = 5;
    private const double SecondsPerCandidate = 0.15;

    /// <summary>The largest count tried: past it, updates of these network sizes stop getting faster, and the probe would only take longer.</summary>
    public const int MaxThreads = 8;

    /// <summary>The counts the probe tries on this machine: 1 up to its cores, at most <see cref="MaxThreads"/>.</summary>
    public static int[] Candidates => Enumerable.Range(1, Math.Max(1, Math.Min(Environment.ProcessorCount, MaxThreads))).ToArray();

    public static ThreadChoice Choose(LearnerOptions options, int observationSize, int goalSize, int actionSize, float[] low, float[] high, int batchSize)
    {
        var rates = new List<(int Threads, double UpdatesPerSecond)>();
        foreach (int threads in Candidates)
            rates.Add((threads, UpdatesPerSecond(options with { Threads = threads }, observationSize, goalSize, actionSize, low, high, batchSize)));
        var best = rates.MaxBy(r => r.UpdatesPerSecond);
        return new ThreadChoice(best.Threads, rates);
    }

    private static double UpdatesPerSecond(LearnerOptions options, int observationSize, int goalSize, int actionSize, float[] low, float[] high, int batchSize)
    {
        using var learner = new Ddpg(options, observationSize, goalSize, actionSize, low, high);
        var batch = new ReplayBatch(batchSize, observationSize, goalSize, actionSize) { Count = batchSize };
        var rng = new Rng(0x7468726561647321UL);
        for (int i = 0; i < batch.Inputs.Length; i++) { batch.Inputs[i] = (float)rng.Uniform(-1, 1); batch.NextInputs[i] = (float)rng.Uniform(-1, 1); }
        for (int i = 0; i < batch.Actions.Length; i++) batch.Actions[i] = (float)rng.Uniform(low[i % actionSize], high[i % actionSize]);
        Array.Fill(batch.Rewards, -1f);
        Array.Fill(batch.NotDone, 1f);
        for (int i = 0; i < WarmupUpdates; i++) { learner.Update(batch); learner.UpdateTargets(); }
        var clock = Stopwatch.StartNew();
        int updates = 0;
        while (clock.Elapsed.TotalSeconds < SecondsPerCandidate)
        {
            learner.Update(batch);
            learner.UpdateTargets();
            updates++;
        }
        return updates / clock.Elapsed.TotalSeconds;
    }
}

/// <summary>The thread count <c>threads: 0</c> chose, with the update rate measured at each count.</summary>
internal sealed record ThreadChoice(int Threads, IReadOnlyList<(int Threads, double UpdatesPerSecond)> Rates)
{
    public string Describe() => $"threads: auto chose {Threads} (" +
        string.Join(", ", Rates.Select(r => FormattableString.Invariant($"{r.Threads}: {r.UpdatesPerSecond:0} updates/s"))) + ")";
}
