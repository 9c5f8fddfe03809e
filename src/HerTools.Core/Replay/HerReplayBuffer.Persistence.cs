using System.Runtime.InteropServices;
using System.Text;
using HerTools.Core.Envs;

namespace HerTools.Core.Replay;

// Saving and loading, kept apart from the storing and sampling hot path in HerReplayBuffer.cs.
public sealed partial class HerReplayBuffer
{
    private const int FormatVersion = 1;
    private static ReadOnlySpan<byte> FormatMagic => "HTREPLAY"u8;

    /// <summary>
    /// Writes the stored episodes (the one in progress included) and the ring position, so that <see cref="Load"/>
    /// restores a buffer that samples and stores exactly as this one would. Layout (little-endian):
    /// <c>"HTREPLAY"</c>, int32 format version, int64 payload length, payload, uint64 FNV-1a checksum of the payload.
    /// The payload gives the environment id and shapes, the ring state, then each live episode, oldest first:
    /// first row, last row, desired goal, its rows and their step flags. The strategy and HER ratio are sampling
    /// settings, not part of the file. Writes about <see cref="AllocatedBytes"/> for a full buffer.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var payload = new MemoryStream();
        using (var writer = new BinaryWriter(payload, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(_env.Id);
            writer.Write(Capacity); writer.Write(ObservationSize); writer.Write(GoalSize); writer.Write(ActionSize);
            writer.Write(MaxEpisodeSteps); writer.Write(_rowCapacity); writer.Write(_episodeSlots);
            writer.Write(_oldestSlot); writer.Write(_episodeCount); writer.Write(_oldestSerial);
            writer.Write(_episodeInProgress); writer.Write(_transitionCount); writer.Write(_nextFirstRow);
            for (int n = 0, slot = _oldestSlot; n < _episodeCount; n++, slot = slot + 1 == _episodeSlots ? 0 : slot + 1)
            {
                int firstRow = _episodeFirstRow[slot], lastRow = _episodeLastRow[slot], rowCount = lastRow - firstRow + 1;
                writer.Write(firstRow); writer.Write(lastRow);
                writer.Write(MemoryMarshal.AsBytes(_episodeDesiredGoal.AsSpan(slot * GoalSize, GoalSize)));
                writer.Write(MemoryMarshal.AsBytes(_rows.AsSpan(firstRow * _rowStride, rowCount * _rowStride)));
                writer.Write(_stepFlags.AsSpan(firstRow, rowCount));
            }
        }
        var bytes = payload.GetBuffer().AsSpan(0, (int)payload.Length);
        using var output = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        output.Write(FormatMagic);
        output.Write(FormatVersion);
        output.Write((long)bytes.Length);
        output.Write(bytes);
        output.Write(Checksum(bytes));
    }

    /// <summary>
    /// Replaces this buffer's contents with what <see cref="Save"/> wrote. The buffer must have the same environment id,
    /// capacity, shapes and time limit. Reads exactly the saved bytes, so more data may follow in the stream.
    /// A file that is not a buffer file, of another version, cut short, corrupt or of another shape is refused with a
    /// <see cref="ReplayBufferFormatException"/> naming the problem, and the buffer is left as it was.
    /// </summary>
    public void Load(Stream stream) => Apply(ReadChecked(stream));

    /// <summary>What a saved buffer holds once every check has passed, not yet applied: a <see cref="VecHerReplayBuffer"/> checks all
    /// its lanes before it changes any.</summary>
    internal sealed record CheckedContents(byte[] Payload, long EpisodesStart, int OldestSlot, int EpisodeCount, uint OldestSerial, bool InProgress,
        int TransitionCount, int NextFirstRow);

    /// <summary>Reads and checks what <see cref="Save"/> wrote, as <see cref="Load"/> does, changing nothing.</summary>
    internal CheckedContents ReadChecked(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Span<byte> header = stackalloc byte[8 + 4 + 8];
        int headerRead = ReadFully(stream, header);
        int magicRead = Math.Min(headerRead, FormatMagic.Length);
        if (!header[..magicRead].SequenceEqual(FormatMagic[..magicRead]))
            throw new ReplayBufferFormatException("not a HerTools replay buffer file (it does not start with \"HTREPLAY\")");
        if (headerRead < header.Length)
            throw new ReplayBufferFormatException($"truncated replay buffer file: the header needs {header.Length} bytes, the file has {headerRead}");
        int version = BitConverter.ToInt32(header[8..12]);
        if (version != FormatVersion)
            throw new ReplayBufferFormatException($"replay buffer file format version {version}; this build reads version {FormatVersion}");
        long payloadLength = BitConverter.ToInt64(header[12..20]);
        long maxPayload = MaxPayloadBytes();
        if (payloadLength < 0 || payloadLength > maxPayload)
            throw new ReplayBufferFormatException($"replay buffer file declares a payload of {payloadLength} bytes; a buffer of this capacity and shape " +
                $"writes at most {maxPayload}");
        // Nor more than the file holds: a length in the file never sizes an allocation the file cannot fill.
        if (stream.CanSeek && payloadLength > stream.Length - stream.Position)
            throw new ReplayBufferFormatException($"truncated replay buffer file: the payload declares {payloadLength} bytes, the file has " +
                $"{stream.Length - stream.Position}");

        var payload = new byte[payloadLength];
        int payloadRead = ReadFully(stream, payload);
        if (payloadRead < payloadLength)
            throw new ReplayBufferFormatException($"truncated replay buffer file: the payload declares {payloadLength} bytes, the file has {payloadRead}");
        Span<byte> checksumBytes = stackalloc byte[8];
        int checksumRead = ReadFully(stream, checksumBytes);
        if (checksumRead < checksumBytes.Length)
            throw new ReplayBufferFormatException($"truncated replay buffer file: the checksum needs 8 bytes after the payload, the file has {checksumRead}");
        ulong expected = BitConverter.ToUInt64(checksumBytes), actual = Checksum(payload);
        if (expected != actual)
            throw new ReplayBufferFormatException($"corrupt replay buffer file: payload checksum is {actual:x16}, the file records {expected:x16}");

        try
        {
            return CheckPayload(payload);
        }
        catch (EndOfStreamException e)
        {
            throw new ReplayBufferFormatException("inconsistent replay buffer file: its episodes run past the end of the payload", e);
        }
    }

    private CheckedContents CheckPayload(byte[] payload)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        string envId = reader.ReadString();
        if (envId != _env.Id)
            throw new ReplayBufferFormatException($"the replay buffer file was filled from {Checkpoints.CheckpointNames.Printable(envId)}; this buffer's " +
                $"environment is {_env.Id}");
        ExpectSame("capacity", reader.ReadInt32(), Capacity);
        ExpectSame("observation size", reader.ReadInt32(), ObservationSize);
        ExpectSame("goal size", reader.ReadInt32(), GoalSize);
        ExpectSame("action size", reader.ReadInt32(), ActionSize);
        ExpectSame("max_episode_steps", reader.ReadInt32(), MaxEpisodeSteps);
        ExpectSame("row capacity", reader.ReadInt32(), _rowCapacity);
        ExpectSame("episode slots", reader.ReadInt32(), _episodeSlots);
        int oldestSlot = reader.ReadInt32(), episodeCount = reader.ReadInt32();
        uint oldestSerial = reader.ReadUInt32();
        bool inProgress = reader.ReadBoolean();
        int transitionCount = reader.ReadInt32(), nextFirstRow = reader.ReadInt32();
        if (oldestSlot < 0 || oldestSlot >= _episodeSlots || episodeCount < 0 || episodeCount > _episodeSlots || (inProgress && episodeCount == 0)
            || transitionCount < 0 || transitionCount > Capacity || nextFirstRow < 0 || nextFirstRow > _rowCapacity)
            throw new ReplayBufferFormatException("inconsistent replay buffer file: ring state out of range");

        // Check every episode record before touching the buffer, so a refused file changes nothing. Sampling reads
        // rows without bounds checks, so the ring's invariants are checked too: episodes follow each other row after
        // row (jumping to row 0 only where a longest episode would not have fitted), wrap at most once without
        // overlapping, and every row but an episode's last holds a step.
        long episodesStart = reader.BaseStream.Position;
        long transitions = 0;
        int previousLastRow = -1, wraps = 0, oldestFirstRow = 0;
        for (int n = 0; n < episodeCount; n++)
        {
            int firstRow = reader.ReadInt32(), lastRow = reader.ReadInt32();
            int steps = lastRow - firstRow;
            bool finished = !(inProgress && n == episodeCount - 1);
            if (firstRow < 0 || lastRow >= _rowCapacity || steps < (finished ? 1 : 0) || steps > MaxEpisodeSteps)
                throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {n} spans rows {firstRow}..{lastRow}");
            if (n == 0) oldestFirstRow = firstRow;
            else if (firstRow == 0 && _rowCapacity - (previousLastRow + 1) < MaxEpisodeSteps + 1) wraps++;
            else if (firstRow != previousLastRow + 1)
                throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {n} starts at row {firstRow}, not after the previous one " +
                    $"(row {previousLastRow})");
            if (wraps > 1 || (wraps == 1 && lastRow >= oldestFirstRow))
                throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {n} overlaps older episodes");
            previousLastRow = lastRow;
            transitions += steps;
            long flagsAt = reader.BaseStream.Position + GoalSize * sizeof(float) + (long)(steps + 1) * _rowStride * sizeof(float);
            if (flagsAt + steps + 1 > payload.Length) throw new EndOfStreamException();
            for (int t = 0; t <= steps; t++)
            {
                byte flags = payload[flagsAt + t];
                if (((flags & StepStored) != 0) != (t < steps) || (flags & ~(StepStored | StepTerminated | StepTruncated)) != 0)
                    throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {n} has step flags that do not match its length");
            }
            CheckEpisodeValues(payload.AsSpan((int)reader.BaseStream.Position, (int)(flagsAt - reader.BaseStream.Position)), steps, n);
            reader.BaseStream.Position = flagsAt + steps + 1;
        }
        if (transitions != transitionCount)
            throw new ReplayBufferFormatException($"inconsistent replay buffer file: its episodes hold {transitions} transitions, its header says " +
                $"{transitionCount}");
        if (!inProgress && episodeCount > 0 && nextFirstRow != previousLastRow + 1)
            throw new ReplayBufferFormatException($"inconsistent replay buffer file: the next episode would start at row {nextFirstRow}, not after the " +
                $"newest one");
        if (reader.BaseStream.Position != payload.Length)
            throw new ReplayBufferFormatException("inconsistent replay buffer file: bytes left over after the last episode");

        return new CheckedContents(payload, episodesStart, oldestSlot, episodeCount, oldestSerial, inProgress, transitionCount, nextFirstRow);
    }

    /// <summary>Replaces the buffer's contents with checked ones (<see cref="ReadChecked"/>).</summary>
    internal void Apply(CheckedContents contents)
    {
        var (payload, episodesStart, oldestSlot, episodeCount, oldestSerial, inProgress, transitionCount, nextFirstRow) = contents;
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        reader.BaseStream.Position = episodesStart;
        _oldestSlot = oldestSlot; _episodeCount = episodeCount; _oldestSerial = oldestSerial;
        _episodeInProgress = inProgress; _transitionCount = transitionCount; _nextFirstRow = nextFirstRow;
        Array.Clear(_stepFlags);
        MarkAllBlocksStale();
        for (int n = 0, slot = oldestSlot; n < episodeCount; n++, slot = slot + 1 == _episodeSlots ? 0 : slot + 1)
        {
            int firstRow = reader.ReadInt32(), lastRow = reader.ReadInt32(), rowCount = lastRow - firstRow + 1;
            _episodeFirstRow[slot] = firstRow;
            _episodeLastRow[slot] = lastRow;
            reader.Read(MemoryMarshal.AsBytes(_episodeDesiredGoal.AsSpan(slot * GoalSize, GoalSize)));
            reader.Read(MemoryMarshal.AsBytes(_rows.AsSpan(firstRow * _rowStride, rowCount * _rowStride)));
            reader.Read(_stepFlags.AsSpan(firstRow, rowCount));
            // Rebuild the row -> episode index; blocks whose first row no live episode holds stay stale.
            uint serial = oldestSerial + (uint)n;
            for (int row = (firstRow + BlockMask) & ~BlockMask; row <= lastRow; row += 1 << BlockShift)
            {
                _blockEpisodeSlot[row >> BlockShift] = slot;
                _blockEpisodeSerial[row >> BlockShift] = serial;
            }
            _currentSlot = slot;
        }
    }

    /// <summary>
    /// An episode's desired goal and rows (as saved: goal, then steps + 1 rows of observation, achieved goal, action)
    /// must be finite: sampled rows go straight to the networks, where a NaN would poison training, not stop it.
    /// Whether they lie in the environment's spaces is the trainer's question (<see cref="FindStoredOutside"/>).
    /// </summary>
    private void CheckEpisodeValues(ReadOnlySpan<byte> bytes, int steps, int episode)
    {
        var values = MemoryMarshal.Cast<byte, float>(bytes);
        if (!AllFinite(values[..GoalSize]))
            throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {episode} desired goal holds a value that is not finite");
        var rows = values[GoalSize..];
        for (int t = 0; t <= steps; t++)
        {
            // The last row's action slot is unused (and saved as it lies).
            var row = rows.Slice(t * _rowStride, t < steps ? _rowStride : _actionOffset);
            if (!AllFinite(row))
                throw new ReplayBufferFormatException($"inconsistent replay buffer file: episode {episode} row {t} holds a value that is not finite");
        }
    }

    /// <summary>
    /// The first stored value outside the given spaces, described ("episode 3 action 7"), or null: every action against
    /// <paramref name="actions"/> (with a rounding's worth of slack), and with <paramref name="states"/> every observation
    /// and goal against its space. A trainer that clips its actions (and an environment that keeps within its spaces)
    /// never stores one; a checkpoint that holds one was made by hand.
    /// </summary>
    internal string? FindStoredOutside(Box actions, GoalObservationSpace? states)
    {
        for (int n = 0, slot = _oldestSlot; n < _episodeCount; n++, slot = slot + 1 == _episodeSlots ? 0 : slot + 1)
        {
            if (states is not null && !states.DesiredGoal.Contains(_episodeDesiredGoal.AsSpan(slot * GoalSize, GoalSize)))
                return $"episode {n} desired goal";
            int firstRow = _episodeFirstRow[slot], lastRow = _episodeLastRow[slot];
            for (int row = firstRow; row <= lastRow; row++)
            {
                var values = _rows.AsSpan(row * _rowStride, _rowStride);
                if (states is not null && (!states.Observation.Contains(values[..ObservationSize])
                    || !states.AchievedGoal.Contains(values.Slice(ObservationSize, GoalSize))))
                    return $"episode {n} row {row - firstRow}";
                if (row < lastRow && !Within(actions, values[_actionOffset..])) return $"episode {n} action {row - firstRow}";
            }
        }
        return null;
    }

    private static bool Within(Box space, ReadOnlySpan<float> action)
    {
        for (int i = 0; i < action.Length; i++)
        {
            // The actor's tanh is mapped onto [low, high] in float arithmetic: allow a rounding's worth beyond.
            float slack = 1e-5f * (space.High[i] - space.Low[i]);
            if (!(action[i] >= space.Low[i] - slack && action[i] <= space.High[i] + slack)) return false;
        }
        return true;
    }

    private static bool AllFinite(ReadOnlySpan<float> values)
    {
        foreach (float v in values)
            if (!float.IsFinite(v)) return false;
        return true;
    }

    /// <summary>Whether the episode in progress ends in <paramref name="state"/>: its last row holds the observation and
    /// achieved goal, and its desired goal is the state's. A restored run checks its state file against its buffer file.</summary>
    internal bool EpisodeInProgressEndsAt(GoalObservation state)
    {
        if (!_episodeInProgress) return false;
        var row = _rows.AsSpan(_episodeLastRow[_currentSlot] * _rowStride, _rowStride);
        return row[..ObservationSize].SequenceEqual(state.Observation)
            && row.Slice(ObservationSize, GoalSize).SequenceEqual(state.AchievedGoal)
            && _episodeDesiredGoal.AsSpan(_currentSlot * GoalSize, GoalSize).SequenceEqual(state.DesiredGoal);
    }

    private static void ExpectSame(string what, int inFile, int inBuffer)
    {
        if (inFile != inBuffer)
            throw new ReplayBufferFormatException($"the replay buffer file was saved with {what} {inFile}; this buffer has {inBuffer}");
    }

    private long MaxPayloadBytes() =>
        1024 + 3L * _env.Id.Length
        + (long)_episodeSlots * (8 + GoalSize * sizeof(float))
        + (long)_rowCapacity * (_rowStride * sizeof(float) + 1);

    private static int ReadFully(Stream stream, Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int n = stream.Read(into[total..]);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>64-bit FNV-1a: enough to catch a damaged or hand-edited file (not an adversary).</summary>
    private static ulong Checksum(ReadOnlySpan<byte> bytes)
    {
        ulong hash = 14695981039346656037UL;
        foreach (byte b in bytes) { hash ^= b; hash *= 1099511628211UL; }
        return hash;
    }
}
