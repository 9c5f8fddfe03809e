using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Replay;

// Sampling (with HER relabeling), kept apart from storing episodes in HerReplayBuffer.cs.
public sealed partial class HerReplayBuffer
{

    /// <summary>
    /// Fills <paramref name="into"/> with <paramref name="batchSize"/> transitions drawn uniformly from the stored
    /// ones (the episode in progress included). Each is relabeled with probability <see cref="HerRatio"/>: its desired
    /// goal (now and next) is replaced by an achieved goal of its episode chosen by <see cref="Strategy"/>. Then every
    /// row's reward is recomputed in one <see cref="IGoalEnv.ComputeReward"/> call, and its terminated flag in one
    /// <see cref="IComputesTerminated.ComputeTerminated"/> call when the environment has it (otherwise the stored flag
    /// is kept). All draws come from <paramref name="rng"/>, so the same generator state gives the same batch.
    /// </summary>
    public void Sample(int batchSize, Rng rng, ReplayBatch into)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(into);
        if (batchSize < 1 || batchSize > into.Capacity)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"must be in [1, {into.Capacity}] (the batch's capacity)");
        if (into.ObservationSize != ObservationSize || into.GoalSize != GoalSize || into.ActionSize != ActionSize)
            throw new ArgumentException(
                $"the batch has observation/goal/action sizes {into.ObservationSize}/{into.GoalSize}/{into.ActionSize}, the buffer " +
                $"{ObservationSize}/{GoalSize}/{ActionSize}", nameof(into));
        if (_transitionCount == 0) throw new InvalidOperationException("Sample: the buffer holds no transition yet");
        var (relabeled, zeroRewards) = SampleRows(batchSize, rng, into, 0);
        into.Count = batchSize;
        into.RelabeledCount = relabeled;
        into.ZeroRewardCount = zeroRewards;
    }

    /// <summary>
    /// What <see cref="Sample"/> does, for rows <paramref name="offset"/>..<paramref name="offset"/> + <paramref name="count"/> - 1
    /// of <paramref name="into"/> only (the buffer holds a transition, the batch is this buffer's shape and large enough):
    /// the lanes of a <see cref="VecHerReplayBuffer"/> fill one batch between them.
    /// </summary>
    /// <returns>How many of the rows were relabeled and how many have reward 0.</returns>
    internal (int Relabeled, int ZeroRewards) SampleRows(int count, Rng rng, ReplayBatch into, int offset)
    {
        int batchSize = count;
        EnsureScratch(batchSize);

        // Transitions are drawn uniformly by drawing rows uniformly over the live span of the ring (oldest
        // episode's first row to the newest one's last row) and redrawing the rows that hold no transition
        // (each episode's last state, the skipped tail): about one row in T + 1, so the cost does not grow
        // with capacity, and there is no per-episode table to search.
        int firstLiveRow = _episodeFirstRow[_oldestSlot];
        int newestSlot = _oldestSlot + _episodeCount - 1;
        if (newestSlot >= _episodeSlots) newestSlot -= _episodeSlots;
        int newestLastRow = _episodeLastRow[newestSlot];
        int liveRows = newestLastRow - firstLiveRow + 1;
        if (liveRows <= 0) liveRows += _rowCapacity;

        int observationSize = ObservationSize, goalSize = GoalSize, actionSize = ActionSize;
        int rowStride = _rowStride, inputSize = observationSize + goalSize, rowCapacity = _rowCapacity;
        double herRatio = _herRatio;
        ref float rows = ref MemoryMarshal.GetArrayDataReference(_rows);
        ref byte stepFlags = ref MemoryMarshal.GetArrayDataReference(_stepFlags);
        ref float episodeGoals = ref MemoryMarshal.GetArrayDataReference(_episodeDesiredGoal);
        ref float inputs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(into.Inputs), offset * inputSize);
        ref float nextInputs = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(into.NextInputs), offset * inputSize);
        ref float actions = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(into.Actions), offset * actionSize);
        ref float achievedGoals = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(into.AchievedGoals), offset * goalSize);
        ref float nextAchievedGoals = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(into.NextAchievedGoals), offset * goalSize);
        ref float desiredGoals = ref MemoryMarshal.GetArrayDataReference(_sampledDesiredGoals);
        ref bool terminated = ref MemoryMarshal.GetArrayDataReference(_sampledTerminated);
        ref int sampledRows = ref MemoryMarshal.GetArrayDataReference(_sampledRows);
        ref int sampledGoals = ref MemoryMarshal.GetArrayDataReference(_sampledGoals);

        // 1. Draw the transitions and their goals, as indices only, and ask for the rows' cache lines. The rows
        //    (megabytes, read at random) are only read in the second loop, by which time the lines have arrived:
        //    in one loop every row read would stall the draws that follow it (twice slower at a million rows).
        int relabeled = 0;
        for (int i = 0; i < batchSize; i++)
        {
            int row;
            byte flags;
            do
            {
                row = firstLiveRow + NextBelow(rng, liveRows);
                if (row >= rowCapacity) row -= rowCapacity;
                flags = Unsafe.Add(ref stepFlags, row);
            } while ((flags & StepStored) == 0);

            int slot = EpisodeSlotOf(row, newestLastRow);
            // A goal is an offset into the rows (relabeled) or, bit-complemented, into the episodes' desired goals.
            int goalAt = ~(slot * goalSize);
            if (rng.NextDouble() < herRatio)
            {
                goalAt = SelectGoalRow(row, _episodeFirstRow[slot], _episodeLastRow[slot], rng) * rowStride + observationSize;
                relabeled++;
            }
            Unsafe.Add(ref sampledRows, i) = row;
            Unsafe.Add(ref sampledGoals, i) = goalAt;
            Prefetch(ref Unsafe.Add(ref rows, row * rowStride), rowStride * 2);
            if (goalAt >= 0) Prefetch(ref Unsafe.Add(ref rows, goalAt), goalSize);
            Unsafe.Add(ref terminated, i) = (flags & StepTerminated) != 0;
        }

        // 2. Assemble the batch: observation ++ goal, now and next, the action, the achieved goals now and next, and
        //    the goal pair the reward is computed from (the goal the transition reached, its next achieved goal,
        //    against the goal it pursued).
        for (int i = 0; i < batchSize; i++)
        {
            int goalAt = Unsafe.Add(ref sampledGoals, i);
            ref float goal = ref goalAt >= 0 ? ref Unsafe.Add(ref rows, goalAt) : ref Unsafe.Add(ref episodeGoals, ~goalAt);
            ref float state = ref Unsafe.Add(ref rows, Unsafe.Add(ref sampledRows, i) * rowStride);
            ref float nextState = ref Unsafe.Add(ref state, rowStride);
            ref float input = ref Unsafe.Add(ref inputs, i * inputSize);
            ref float nextInput = ref Unsafe.Add(ref nextInputs, i * inputSize);
            Copy(ref state, ref input, observationSize);
            Copy(ref goal, ref Unsafe.Add(ref input, observationSize), goalSize);
            Copy(ref nextState, ref nextInput, observationSize);
            Copy(ref goal, ref Unsafe.Add(ref nextInput, observationSize), goalSize);
            Copy(ref Unsafe.Add(ref state, observationSize + goalSize), ref Unsafe.Add(ref actions, i * actionSize), actionSize);
            Copy(ref Unsafe.Add(ref state, observationSize), ref Unsafe.Add(ref achievedGoals, i * goalSize), goalSize);
            Copy(ref Unsafe.Add(ref nextState, observationSize), ref Unsafe.Add(ref nextAchievedGoals, i * goalSize), goalSize);
            Copy(ref goal, ref Unsafe.Add(ref desiredGoals, i * goalSize), goalSize);
        }

        var achieved = into.NextAchievedGoals.AsSpan(offset * goalSize, batchSize * goalSize);
        var desired = _sampledDesiredGoals.AsSpan(0, batchSize * goalSize);
        var rewards = into.Rewards.AsSpan(offset, batchSize);
        var terminatedRows = _sampledTerminated.AsSpan(0, batchSize);
        // Rewards (and terminations) are pure functions of the goal pair, so recomputing every row is exact.
        _env.ComputeReward(achieved, desired, ReadOnlySpan<StepInfo>.Empty, rewards);
        _terminationEnv?.ComputeTerminated(achieved, desired, ReadOnlySpan<StepInfo>.Empty, terminatedRows);

        int zeroRewards = 0;
        var notDone = into.NotDone.AsSpan(offset, batchSize);
        for (int i = 0; i < batchSize; i++)
        {
            // Only termination stops bootstrapping: a time-limit truncation is not a property of the state.
            notDone[i] = terminatedRows[i] ? 0f : 1f;
            if (rewards[i] == 0f) zeroRewards++;
        }
        return (relabeled, zeroRewards);
    }

    /// <summary>
    /// The row whose achieved goal becomes the new desired goal of the transition at <paramref name="row"/>, whose episode
    /// has states in rows <paramref name="firstRow"/>..<paramref name="lastRow"/>. Goals are next achieved goals of the
    /// episode's steps, rows firstRow + 1..lastRow (for the episode in progress: those reached so far).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int SelectGoalRow(int row, int firstRow, int lastRow, Rng rng) => Strategy switch
    {
        // Steps t..T-1 of the episode: the transition's own next goal counts, so there always is one.
        GoalSelectionStrategy.Future => row + 1 + NextBelow(rng, lastRow - row),
        GoalSelectionStrategy.Final => lastRow,
        _ => firstRow + 1 + NextBelow(rng, lastRow - firstRow), // Episode
    };

    /// <summary>
    /// The slot of the episode holding <paramref name="row"/> (a row with a transition); <paramref name="newestLastRow"/>
    /// is the last row of the newest episode, where writing continues.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int EpisodeSlotOf(int row, int newestLastRow)
    {
        // Each block remembers the episode that last wrote its first row. Walking forward from it to the first
        // episode ending after the row finds the row's episode, in a step or two when episodes are as long as a
        // block, provided no episode in between is gone and the row is not older than that episode. Two cases
        // start from the oldest episode instead, which then lies in the same block before the row:
        // - the remembered episode was evicted (so were all before it);
        // - the row lies past the write position (rows from the previous pass over the array) while the
        //   remembered episode was written in this pass, before the write position.
        int block = row >> BlockShift;
        int slot = _blockEpisodeSlot[block];
        if ((int)(_blockEpisodeSerial[block] - _oldestSerial) < 0 || (row > newestLastRow && _episodeFirstRow[slot] <= newestLastRow))
            slot = _oldestSlot;
        while (_episodeLastRow[slot] <= row) slot = slot + 1 == _episodeSlots ? 0 : slot + 1;
        return slot;
    }

    /// <summary><see cref="Rng.NextInt"/> (Lemire's unbiased bounded draw, the same numbers), inlined into the sampling loop; <paramref name="n"/> &gt;
    /// 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextBelow(Rng rng, int n)
    {
        ulong m = (ulong)(uint)rng.NextUInt64() * (ulong)n;
        if ((uint)m < (uint)n)
        {
            uint threshold = (uint)(-n) % (uint)n;
            while ((uint)m < threshold) m = (ulong)(uint)rng.NextUInt64() * (ulong)n;
        }
        return (int)(m >> 32);
    }

    /// <summary>Asks the processor to start loading <paramref name="count"/> floats from <paramref name="at"/> (a hint: nothing is read).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe void Prefetch(ref float at, int count)
    {
        if (!Sse.IsSupported) return;
        Sse.Prefetch0(Unsafe.AsPointer(ref at));
        Sse.Prefetch0(Unsafe.AsPointer(ref Unsafe.Add(ref at, count - 1)));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref float from, ref float to, int count)
    {
        for (int k = 0; k < count; k++) Unsafe.Add(ref to, k) = Unsafe.Add(ref from, k);
    }

    private void EnsureScratch(int batchSize)
    {
        if (_sampledTerminated.Length >= batchSize) return;
        _sampledDesiredGoals = new float[batchSize * GoalSize];
        _sampledTerminated = new bool[batchSize];
        _sampledRows = new int[batchSize];
        _sampledGoals = new int[batchSize];
    }

}
