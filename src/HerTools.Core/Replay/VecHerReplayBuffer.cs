using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Replay;

/// <summary>
/// The HER buffer of several environment copies stepped in lockstep, after Stable-Baselines3's <c>HerReplayBuffer</c>
/// with <c>n_envs</c> &gt; 1: each copy keeps its own episodes, the one in progress included, in its own lane (a
/// <see cref="HerReplayBuffer"/> of <c>capacity / copies</c> transitions), so episodes never interleave and a relabeled
/// goal always comes from the transition's own episode. A batch is drawn uniformly over the transitions of all lanes.
/// With one copy this is exactly its single buffer: the same draws, the same batches, the same file.
/// </summary>
public sealed class VecHerReplayBuffer
{
    private readonly HerReplayBuffer[] _lanes;
    private int[] _laneRows = [];

    /// <summary>One lane per environment in <paramref name="envs"/> (lane i recomputes rewards with <paramref name="envs"/>[i]),
    /// each holding <paramref name="capacity"/> / <c>envs.Count</c> transitions.</summary>
    public VecHerReplayBuffer(int capacity, IReadOnlyList<IGoalEnv> envs, GoalSelectionStrategy strategy, double herRatio)
    {
        ArgumentNullException.ThrowIfNull(envs);
        if (envs.Count < 1) throw new ArgumentException("needs at least one environment", nameof(envs));
        _lanes = new HerReplayBuffer[envs.Count];
        for (int i = 0; i < _lanes.Length; i++) _lanes[i] = HerReplayBuffer.ForEnv(envs[i], capacity / envs.Count, strategy, herRatio);
    }

    /// <summary>Lane i holds the episodes of environment copy i.</summary>
    public IReadOnlyList<HerReplayBuffer> Lanes => _lanes;

    public double HerRatio => _lanes[0].HerRatio;

    /// <summary>Transitions stored in all lanes, the episodes in progress included.</summary>
    public int TransitionCount
    {
        get
        {
            int total = 0;
            foreach (var lane in _lanes) total += lane.TransitionCount;
            return total;
        }
    }

    /// <summary>
    /// Fills <paramref name="into"/> with <paramref name="batchSize"/> transitions drawn uniformly over every lane's, each
    /// relabeled as <see cref="HerReplayBuffer.Sample"/> says. With several lanes every row first draws its lane with a
    /// probability proportional to the lane's transitions, then each lane samples its rows (grouped by lane in the batch);
    /// with one lane there is no lane draw. All draws come from <paramref name="rng"/>.
    /// </summary>
    public void Sample(int batchSize, Rng rng, ReplayBatch into)
    {
        if (_lanes.Length == 1)
        {
            _lanes[0].Sample(batchSize, rng, into);
            return;
        }
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentNullException.ThrowIfNull(into);
        if (batchSize < 1 || batchSize > into.Capacity)
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"must be in [1, {into.Capacity}] (the batch's capacity)");
        var first = _lanes[0];
        if (into.ObservationSize != first.ObservationSize || into.GoalSize != first.GoalSize || into.ActionSize != first.ActionSize)
            throw new ArgumentException("the batch's observation/goal/action sizes differ from the buffer's", nameof(into));
        int total = TransitionCount;
        if (total == 0) throw new InvalidOperationException("Sample: the buffer holds no transition yet");

        if (_laneRows.Length != _lanes.Length) _laneRows = new int[_lanes.Length];
        Array.Clear(_laneRows);
        for (int i = 0; i < batchSize; i++)
        {
            int transition = rng.NextInt(total), lane = 0;
            while (transition >= _lanes[lane].TransitionCount) transition -= _lanes[lane++].TransitionCount;
            _laneRows[lane]++;
        }
        int offset = 0, relabeled = 0, zeroRewards = 0;
        for (int lane = 0; lane < _lanes.Length; lane++)
        {
            if (_laneRows[lane] == 0) continue;
            var (laneRelabeled, laneZeroRewards) = _lanes[lane].SampleRows(_laneRows[lane], rng, into, offset);
            offset += _laneRows[lane];
            relabeled += laneRelabeled;
            zeroRewards += laneZeroRewards;
        }
        into.Count = batchSize;
        into.RelabeledCount = relabeled;
        into.ZeroRewardCount = zeroRewards;
    }

    /// <summary>Writes every lane in order (<see cref="HerReplayBuffer.Save"/>'s format each; with one lane, exactly its file).</summary>
    public void Save(Stream stream)
    {
        foreach (var lane in _lanes) lane.Save(stream);
    }

    /// <summary>
    /// Replaces every lane's contents with what <see cref="Save"/> wrote. Every lane is read and checked before any
    /// changes, so a refused file leaves the buffer as it was; with several lanes nothing may follow the last.
    /// </summary>
    /// <exception cref="ReplayBufferFormatException">A lane is refused (named when there are several), or bytes follow the last.</exception>
    public void Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (_lanes.Length == 1)
        {
            _lanes[0].Load(stream);
            return;
        }
        var checkedLanes = new HerReplayBuffer.CheckedContents[_lanes.Length];
        for (int i = 0; i < _lanes.Length; i++)
        {
            try
            {
                checkedLanes[i] = _lanes[i].ReadChecked(stream);
            }
            catch (ReplayBufferFormatException e)
            {
                throw new ReplayBufferFormatException($"environment copy {i} of {_lanes.Length}: {e.Message}", e);
            }
        }
        if (stream.CanSeek && stream.Position != stream.Length)
            throw new ReplayBufferFormatException($"{stream.Length - stream.Position} bytes follow the last of the {_lanes.Length} lanes");
        for (int i = 0; i < _lanes.Length; i++) _lanes[i].Apply(checkedLanes[i]);
    }
}
