using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Randomness;

namespace HerTools.Core.Envs;

/// <summary>
/// BitFlip-v0: n-bit flipping with continuous actions, exactly as <c>specs/goal-envs.md</c> gives it.
/// Observation and achieved goal are the current bits, the desired goal the target bits, as 0/1 floats;
/// every bit i with <c>a[i] &gt; 0</c> flips; the episode is truncated after <c>n_bits</c> steps.
/// </summary>
[GoalEnvironment(EnvId, Description = "n-bit flipping with continuous actions (bit i flips when a[i] > 0); the classic HER benchmark",
    MaxEpisodeSteps = DefaultBitCount)]
public sealed class BitFlipEnv : IGoalEnv, IComputesTerminated, IEpisodeClock, IKeepsWithinSpaces, IThreadSafeEnv
{
    public const string EnvId = "BitFlip-v0";
    public const int DefaultBitCount = 10;
    public const int MaxBitCount = 64;

    private readonly Rng _rng = new(0);
    private readonly ulong _mask;
    // Bit i of the ulong is element i of the observation.
    private ulong _state, _target;
    private int _t;

    public BitFlipEnv(
        [Description("number of bits; also the episode length"), Range(1, MaxBitCount)] int nBits = DefaultBitCount)
    {
        if (nBits is < 1 or > MaxBitCount)
            throw new ArgumentOutOfRangeException(nameof(nBits), nBits, $"must be between 1 and {MaxBitCount}");
        BitCount = nBits;
        _mask = nBits == 64 ? ulong.MaxValue : (1UL << nBits) - 1;
        ObservationSpace = new(Box.Uniform(0f, 1f, nBits), Box.Uniform(0f, 1f, nBits), Box.Uniform(0f, 1f, nBits));
        ActionSpace = Box.Uniform(-1f, 1f, nBits);
    }

    public string Id => EnvId;
    /// <summary>The <c>n_bits</c> option.</summary>
    public int BitCount { get; }
    public int MaxEpisodeSteps => BitCount;
    public GoalObservationSpace ObservationSpace { get; }
    public Box ActionSpace { get; }

    /// <summary>Steps taken in the current episode.</summary>
    public int ElapsedSteps => _t;
    /// <summary>The current bits, bit i as <c>(State &gt;&gt; i) &amp; 1</c>.</summary>
    public ulong State => _state;
    /// <summary>The target bits, in the layout of <see cref="State"/>.</summary>
    public ulong Target => _target;

    public GoalObservation Reset(ulong? seed = null)
    {
        if (seed is ulong s) _rng.Reseed(s);
        // The low n bits of a 64-bit draw are n independent fair bits.
        _state = _rng.NextUInt64() & _mask;
        // The target is redrawn until the episode does not start solved.
        do { _target = _rng.NextUInt64() & _mask; } while (_target == _state);
        _t = 0;
        return CurrentObservation();
    }

    public StepResult Step(ReadOnlySpan<float> action)
    {
        if (action.Length != BitCount)
            throw new ArgumentException($"BitFlip-v0 with n_bits={BitCount} takes {BitCount} action values, got {action.Length}", nameof(action));
        ulong flips = 0;
        for (int i = 0; i < action.Length; i++)
            if (action[i] > 0f) flips |= 1UL << i;
        _state ^= flips;
        _t++;
        bool success = _state == _target;
        return new StepResult(CurrentObservation(), success ? 0f : -1f,
            Terminated: false, Truncated: _t >= MaxEpisodeSteps, new StepInfo(success));
    }

    public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
    {
        CheckBatch(achievedGoals, desiredGoals, rewards.Length);
        int n = BitCount;
        for (int i = 0; i < rewards.Length; i++)
            rewards[i] = SameBits(achievedGoals.Slice(i * n, n), desiredGoals.Slice(i * n, n)) ? 0f : -1f;
    }

    /// <summary>BitFlip never terminates: reaching the target does not end the episode.</summary>
    public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated)
    {
        CheckBatch(achievedGoals, desiredGoals, terminated.Length);
        terminated.Clear();
    }

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(BitCount);
        writer.Write(_state); writer.Write(_target); writer.Write(_t);
        _rng.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        int bits = SavedStateException.Read("BitFlip-v0 n_bits", reader.ReadInt32);
        if (bits != BitCount)
            throw new SavedStateException("BitFlip-v0 n_bits", $"BitFlip-v0 state was saved with n_bits={bits}; this environment has n_bits={BitCount}");
        ulong state = SavedStateException.Read("BitFlip-v0 state", reader.ReadUInt64), target = SavedStateException.Read("BitFlip-v0 target",
            reader.ReadUInt64);
        if (((state | target) & ~_mask) != 0)
            throw new SavedStateException("BitFlip-v0 state", $"has bits set beyond n_bits={BitCount}");
        int t = SavedStateException.ReadInt32(reader, "BitFlip-v0 episode step", 0, MaxEpisodeSteps);
        _rng.ReadState(reader, "BitFlip-v0 generator");
        _state = state; _target = target; _t = t;
    }

    private static bool SameBits(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired)
    {
        for (int j = 0; j < achieved.Length; j++) if (achieved[j] != desired[j]) return false;
        return true;
    }

    private void CheckBatch(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired, int rows)
    {
        long expected = (long)rows * BitCount;
        if (achieved.Length != expected || desired.Length != expected)
            throw new ArgumentException(
                $"BitFlip-v0 goals have {BitCount} values: expected {expected} achieved and desired values for {rows} rows, got {achieved.Length} and " +
                $"{desired.Length}");
    }

    private float[] Bits(ulong bits)
    {
        var values = new float[BitCount];
        for (int i = 0; i < values.Length; i++) values[i] = (bits >> i) & 1;
        return values;
    }

    private GoalObservation CurrentObservation() => new(Bits(_state), Bits(_state), Bits(_target));
}
