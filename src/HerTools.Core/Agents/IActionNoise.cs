namespace HerTools.Core.Agents;

/// <summary>
/// Exploration noise added to the deterministic action while collecting experience. Draws come from
/// the <see cref="Randomness.Rng"/> the owner passed in (saved by the owner); the noise's own state
/// (for Ornstein-Uhlenbeck, the process value) is written by <see cref="WriteState"/>.
/// </summary>
public interface IActionNoise
{
    /// <summary>Number of action components a sample fills.</summary>
    int Size { get; }

    /// <summary>Starts a new episode: a temporally correlated process goes back to its initial value.</summary>
    void Reset();

    /// <summary>Fills <paramref name="noise"/> (length <see cref="Size"/>) with the next draw.</summary>
    void Sample(Span<float> noise);

    void WriteState(BinaryWriter writer);
    void ReadState(BinaryReader reader);
}
