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

    private void MarkAllBlocksStale() => Array.Fill(_blockEpisodeSerial, _oldestSerial - 1);
}
