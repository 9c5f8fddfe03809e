using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Replay;

/// <summary>
/// Hindsight Experience Replay buffer (Andrychowicz et al. 2017), after Stable-Baselines3's
/// <c>her_replay_buffer.py</c>: whole episodes are stored, and when a batch is sampled a share
/// (<see cref="HerRatio"/>) of its transitions get their desired goal replaced by a goal the episode
/// actually achieved; rewards and terminations are then recomputed by the environment, in one
/// batched call each.
/// </summary>
/// <remarks>
/// <para>Layout: one flat float array of rows <c>[observation, achieved_goal, action]</c>. An episode of
/// T steps takes T + 1 consecutive rows: row t holds the state at t and the action taken at t, so the
/// next state of a transition is simply the next row (the last row's action slot is unused). The
/// desired goal is kept once per episode, <c>terminated</c>/<c>truncated</c> as bits of one byte per row.
/// Rewards are not stored: they are a pure function of (achieved goal, desired goal), so every sampled
/// reward is recomputed, relabeled or not.</para>
/// <para>Capacity counts transitions: when a new step would exceed it, the oldest whole episode goes.
/// The rows form a ring of episodes. An episode never wraps around the end of the array (the tail is
/// skipped instead) and takes one row more than its steps, so the rows are sized for <c>capacity</c>
/// transitions in episodes of <see cref="MaxEpisodeSteps"/> (T) steps; when the ring needs the rows of
/// the oldest episode, that episode goes too. With shorter episodes (mean length L) slightly fewer
/// transitions fit, about <c>capacity (1 + 1/T) / (1 + 1/L)</c> (98% for L = T/2 = 25), and the
/// episode table keeps at most <c>4 capacity / T</c> episodes, which binds when L is under T/4.</para>
/// <para>The episode in progress is stored and sampled like the others; its goals are only those it
/// has reached so far.</para>
/// </remarks>
public sealed partial class HerReplayBuffer
{
    // Bits of _stepFlags. A row is a sampleable transition when it holds an action (StepStored).
    private const byte StepStored = 1;
    private const byte StepTerminated = 2;
    private const byte StepTruncated = 4;

    // The row -> episode index: every block of 64 rows remembers the episode that wrote its first row.
    private const int BlockShift = 6;
    private const int BlockMask = (1 << BlockShift) - 1;

    private readonly IGoalEnv _env;
    private readonly IComputesTerminated? _terminationEnv;
    private readonly double _herRatio;
    private readonly int _rowStride;     // observation + goal + action floats
    private readonly int _actionOffset;  // observation + goal
    private readonly int _rowCapacity;
    private readonly int _episodeSlots;

    // Storage, all allocated once.
    private readonly float[] _rows;
    private readonly byte[] _stepFlags;
    private readonly int[] _episodeFirstRow;      // per episode slot: the row of its first state
    private readonly int[] _episodeLastRow;       // ... and of its last state (first + steps)
    private readonly float[] _episodeDesiredGoal; // ... and its desired goal
    private readonly int[] _blockEpisodeSlot;
    private readonly uint[] _blockEpisodeSerial;

    // The ring of episodes: slots _oldestSlot .. _oldestSlot + _episodeCount - 1 (wrapping) are live,
    // the newest of them being the episode in progress when there is one. Serials number episodes in
    // the order they started, so a block can tell whether the episode it remembers was evicted.
    private int _oldestSlot;
    private int _episodeCount;
    private uint _oldestSerial;
    private int _currentSlot;
    private bool _episodeInProgress;
    private int _transitionCount;
    private int _nextFirstRow;

    // Sampling scratch, grown to the largest batch asked for, then reused.
    private float[] _sampledDesiredGoals = [];
    private bool[] _sampledTerminated = [];
    private int[] _sampledRows = [];
    private int[] _sampledGoals = [];

    /// <summary>Creates an empty buffer; every array is allocated here.</summary>
    /// <param name="capacity">Transitions kept; the oldest episodes go first when it is reached. At least <paramref name="maxEpisodeSteps"/>.</param>
    /// <param name="observationSize">Floats in <c>observation</c>.</param>
    /// <param name="goalSize">Floats in <c>achieved_goal</c> and <c>desired_goal</c>.</param>
    /// <param name="actionSize">Floats in an action.</param>
    /// <param name="maxEpisodeSteps">The longest episode <see cref="AddStep"/> accepts (the time limit).</param>
    /// <param name="strategy">Where relabeled goals come from.</param>
    /// <param name="herRatio">Probability, per sampled transition, of relabeling it, in [0, 1]; see <see cref="HerRatioFromSampledGoals"/>.</param>
    /// <param name="env">Recomputes rewards (and terminations, when it implements <see cref="IComputesTerminated"/>) for sampled goal pairs.</param>
    public HerReplayBuffer(int capacity, int observationSize, int goalSize, int actionSize, int maxEpisodeSteps,
        GoalSelectionStrategy strategy, double herRatio, IGoalEnv env)
    {
        ArgumentNullException.ThrowIfNull(env);
        if (maxEpisodeSteps < 1) throw new ArgumentOutOfRangeException(nameof(maxEpisodeSteps), maxEpisodeSteps, "must be at least 1");
        if (capacity < maxEpisodeSteps) throw new ArgumentOutOfRangeException(nameof(capacity), capacity,
            $"must hold at least one whole episode ({maxEpisodeSteps} steps)");
        if (observationSize < 0) throw new ArgumentOutOfRangeException(nameof(observationSize), observationSize, "must not be negative");
        if (goalSize < 1) throw new ArgumentOutOfRangeException(nameof(goalSize), goalSize, "must be at least 1");
        if (actionSize < 1) throw new ArgumentOutOfRangeException(nameof(actionSize), actionSize, "must be at least 1");
        if (!Enum.IsDefined(strategy)) throw new ArgumentOutOfRangeException(nameof(strategy), strategy, "not a goal selection strategy");
        if (!(herRatio >= 0 && herRatio <= 1)) throw new ArgumentOutOfRangeException(nameof(herRatio), herRatio, "must be in [0, 1]");
        var space = env.ObservationSpace;
        if (space.Observation.Size != observationSize || space.AchievedGoal.Size != goalSize || space.DesiredGoal.Size != goalSize
            || env.ActionSpace.Size != actionSize)
            throw new ArgumentException(
                $"{env.Id} has observation {space.Observation.Size}, goals {space.AchievedGoal.Size}/{space.DesiredGoal.Size} and action " +
                $"{env.ActionSpace.Size} values; " +
                $"the buffer was asked for {observationSize}, {goalSize} and {actionSize}", nameof(env));

        Capacity = capacity; ObservationSize = observationSize; GoalSize = goalSize; ActionSize = actionSize;
        MaxEpisodeSteps = maxEpisodeSteps; Strategy = strategy; _herRatio = herRatio;
        _env = env;
        _terminationEnv = env as IComputesTerminated;

        _actionOffset = observationSize + goalSize;
        _rowStride = _actionOffset + actionSize;
        int fullEpisodes = (int)(((long)capacity + maxEpisodeSteps - 1) / maxEpisodeSteps);
        long rowCapacity = (long)capacity + fullEpisodes + maxEpisodeSteps + 1;
        if (rowCapacity * _rowStride > Array.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, $"too large for rows of {_rowStride} floats in one array");
        _rowCapacity = (int)rowCapacity;
        _episodeSlots = 4 * fullEpisodes + 2;

        _rows = new float[_rowCapacity * _rowStride];
        _stepFlags = new byte[_rowCapacity];
        _episodeFirstRow = new int[_episodeSlots];
        _episodeLastRow = new int[_episodeSlots];
        _episodeDesiredGoal = new float[_episodeSlots * goalSize];
        _blockEpisodeSlot = new int[(_rowCapacity >> BlockShift) + 1];
        _blockEpisodeSerial = new uint[_blockEpisodeSlot.Length];
        MarkAllBlocksStale();
    }

    /// <summary>A buffer shaped after <paramref name="env"/>'s spaces and time limit.</summary>
    public static HerReplayBuffer ForEnv(IGoalEnv env, int capacity, GoalSelectionStrategy strategy, double herRatio)
    {
        ArgumentNullException.ThrowIfNull(env);
        return new HerReplayBuffer(capacity, env.ObservationSpace.Observation.Size, env.ObservationSpace.AchievedGoal.Size,
            env.ActionSpace.Size, env.MaxEpisodeSteps, strategy, herRatio, env);
    }

    /// <summary>SB3's <c>n_sampled_goal</c> k: k relabeled transitions for each real one, a ratio of k / (k + 1).</summary>
    public static double HerRatioFromSampledGoals(int nSampledGoal)
    {
        if (nSampledGoal < 0) throw new ArgumentOutOfRangeException(nameof(nSampledGoal), nSampledGoal, "must not be negative");
        return nSampledGoal / (nSampledGoal + 1.0);
    }

    public int Capacity { get; }
    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }
    public int MaxEpisodeSteps { get; }
    public GoalSelectionStrategy Strategy { get; }
    /// <summary>Probability that a sampled transition is relabeled.</summary>
    public double HerRatio => _herRatio;

    /// <summary>Transitions stored, the episode in progress included.</summary>
    public int TransitionCount => _transitionCount;
    /// <summary>Finished episodes stored (the episode in progress is not counted).</summary>
    public int EpisodeCount => _episodeInProgress ? _episodeCount - 1 : _episodeCount;
    public bool IsEpisodeInProgress => _episodeInProgress;
    /// <summary>Steps added to the episode in progress (0 when there is none).</summary>
    public int CurrentEpisodeSteps => _episodeInProgress ? _episodeLastRow[_currentSlot] - _episodeFirstRow[_currentSlot] : 0;

    /// <summary>Bytes held in the buffer's arrays (storage, index and sampling scratch).</summary>
    public long AllocatedBytes =>
        (long)_rows.Length * sizeof(float) + _stepFlags.Length
        + (long)(_episodeFirstRow.Length + _episodeLastRow.Length + _blockEpisodeSlot.Length + _blockEpisodeSerial.Length) * sizeof(int)
        + (long)(_episodeDesiredGoal.Length + _sampledDesiredGoals.Length) * sizeof(float)
        + _sampledTerminated.Length + (long)(_sampledRows.Length + _sampledGoals.Length) * sizeof(int);

    /// <summary><see cref="AllocatedBytes"/> per transition of <see cref="Capacity"/>.</summary>
    public double BytesPerTransition => (double)AllocatedBytes / Capacity;

    // ---------------------------------------------------------------- storing episodes

    /// <summary>Begins an episode with the observation <c>Reset</c> returned. Its desired goal is kept for the whole episode.</summary>
    public void StartEpisode(GoalObservation first)
    {
        if (_episodeInProgress) throw new InvalidOperationException("StartEpisode: the previous episode is still in progress; call EndEpisode first");
        CheckShape(first, nameof(first));

        int firstRow = _nextFirstRow;
        if (_rowCapacity - firstRow < MaxEpisodeSteps + 1)
        {
            // A longest episode would not fit before the end of the rows: skip the tail, so that an
            // episode's rows are always consecutive. The episodes still in the tail are the oldest.
            while (_episodeCount > 0 && _episodeFirstRow[_oldestSlot] >= firstRow) EvictOldestEpisode();
            Array.Clear(_stepFlags, firstRow, _rowCapacity - firstRow);
            firstRow = 0;
        }
        MakeRoomForRow(firstRow, firstRow);
        if (_episodeCount == _episodeSlots) EvictOldestEpisode();

        int slot = _oldestSlot + _episodeCount;
        if (slot >= _episodeSlots) slot -= _episodeSlots;
        _episodeCount++;
        _currentSlot = slot;
        _episodeInProgress = true;
        _episodeFirstRow[slot] = firstRow;
        _episodeLastRow[slot] = firstRow;
        first.DesiredGoal.CopyTo(_episodeDesiredGoal, slot * GoalSize);
        WriteStateRow(firstRow, first);
    }

    /// <summary>
    /// Adds the step that took <paramref name="action"/> and led to <paramref name="next"/>.
    /// <paramref name="reward"/> is not stored: sampled rewards are always recomputed from the goals.
    /// <paramref name="next"/>'s desired goal is assumed to be the episode's (goal environments do not change it).
    /// </summary>
    public void AddStep(ReadOnlySpan<float> action, GoalObservation next, float reward, bool terminated, bool truncated)
    {
        if (!_episodeInProgress) throw new InvalidOperationException("AddStep: no episode in progress; call StartEpisode first");
        if (action.Length != ActionSize) throw new ArgumentException($"expected an action of {ActionSize} values, got {action.Length}", nameof(action));
        CheckShape(next, nameof(next));
        int row = _episodeLastRow[_currentSlot];
        int firstRow = _episodeFirstRow[_currentSlot];
        if (row - firstRow == MaxEpisodeSteps)
            throw new InvalidOperationException($"AddStep: the episode already has max_episode_steps = {MaxEpisodeSteps} steps; call EndEpisode");

        if (_transitionCount == Capacity) EvictOldestEpisode();
        MakeRoomForRow(row + 1, firstRow);

        action.CopyTo(_rows.AsSpan(row * _rowStride + _actionOffset, ActionSize));
        _stepFlags[row] = (byte)(StepStored | (terminated ? StepTerminated : 0) | (truncated ? StepTruncated : 0));
        WriteStateRow(row + 1, next);
        _episodeLastRow[_currentSlot] = row + 1;
        _transitionCount++;
    }

    /// <summary>Closes the episode in progress (after its terminated or truncated step). It must have at least one step.</summary>
    public void EndEpisode()
    {
        if (!_episodeInProgress) throw new InvalidOperationException("EndEpisode: no episode in progress");
        if (CurrentEpisodeSteps == 0) throw new InvalidOperationException("EndEpisode: the episode has no step; an episode needs at least one");
        _episodeInProgress = false;
        _nextFirstRow = _episodeLastRow[_currentSlot] + 1;
    }

    private void WriteStateRow(int row, GoalObservation state)
    {
        var target = _rows.AsSpan(row * _rowStride, _rowStride);
        state.Observation.CopyTo(target);
        state.AchievedGoal.CopyTo(target[ObservationSize..]);
        target[_actionOffset..].Clear(); // filled by the next step, if any
        _stepFlags[row] = 0;
        if ((row & BlockMask) == 0)
        {
            _blockEpisodeSlot[row >> BlockShift] = _currentSlot;
            _blockEpisodeSerial[row >> BlockShift] = CurrentSerial;
        }
    }

    private uint CurrentSerial => _oldestSerial + (uint)(_episodeCount - 1);

    /// <summary>Evicts the finished episodes whose rows the current episode (starting at <paramref name="firstRow"/>) is about to overwrite at <paramref
    /// name="row"/>.</summary>
    private void MakeRoomForRow(int row, int firstRow)
    {
        // Only after the rows wrapped can an older episode start at or after the current one's first row;
        // the oldest is the first in the way.
        int finished = EpisodeCount;
        while (finished > 0 && _episodeFirstRow[_oldestSlot] >= firstRow && _episodeFirstRow[_oldestSlot] <= row)
        {
            EvictOldestEpisode();
            finished--;
        }
    }

    private void EvictOldestEpisode()
    {
        int slot = _oldestSlot;
        Debug.Assert(_episodeCount > 0 && !(_episodeInProgress && slot == _currentSlot), "the episode in progress is never evicted");
        _transitionCount -= _episodeLastRow[slot] - _episodeFirstRow[slot];
        _oldestSlot = slot + 1 == _episodeSlots ? 0 : slot + 1;
        _oldestSerial++;
        _episodeCount--;
    }

    private void CheckShape(GoalObservation observation, string name)
    {
        ArgumentNullException.ThrowIfNull(observation, name);
        if (observation.Observation.Length != ObservationSize || observation.AchievedGoal.Length != GoalSize || observation.DesiredGoal.Length != GoalSize)
            throw new ArgumentException(
                $"expected observation/achieved_goal/desired_goal of {ObservationSize}/{GoalSize}/{GoalSize} values, " +
                $"got {observation.Observation.Length}/{observation.AchievedGoal.Length}/{observation.DesiredGoal.Length}", name);
    }

    // ---------------------------------------------------------------- sampling

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
        ref float inputs = ref MemoryMarshal.GetArrayDataReference(into.Inputs);
        ref float nextInputs = ref MemoryMarshal.GetArrayDataReference(into.NextInputs);
        ref float actions = ref MemoryMarshal.GetArrayDataReference(into.Actions);
        ref float achievedGoals = ref MemoryMarshal.GetArrayDataReference(into.AchievedGoals);
        ref float nextAchievedGoals = ref MemoryMarshal.GetArrayDataReference(into.NextAchievedGoals);
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

        var achieved = into.NextAchievedGoals.AsSpan(0, batchSize * goalSize);
        var desired = _sampledDesiredGoals.AsSpan(0, batchSize * goalSize);
        var rewards = into.Rewards.AsSpan(0, batchSize);
        var terminatedRows = _sampledTerminated.AsSpan(0, batchSize);
        // Rewards (and terminations) are pure functions of the goal pair, so recomputing every row is exact.
        _env.ComputeReward(achieved, desired, ReadOnlySpan<StepInfo>.Empty, rewards);
        _terminationEnv?.ComputeTerminated(achieved, desired, ReadOnlySpan<StepInfo>.Empty, terminatedRows);

        int zeroRewards = 0;
        var notDone = into.NotDone.AsSpan(0, batchSize);
        for (int i = 0; i < batchSize; i++)
        {
            // Only termination stops bootstrapping: a time-limit truncation is not a property of the state.
            notDone[i] = terminatedRows[i] ? 0f : 1f;
            if (rewards[i] == 0f) zeroRewards++;
        }
        into.Count = batchSize;
        into.RelabeledCount = relabeled;
        into.ZeroRewardCount = zeroRewards;
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

    private void MarkAllBlocksStale() => Array.Fill(_blockEpisodeSerial, _oldestSerial - 1);
}
