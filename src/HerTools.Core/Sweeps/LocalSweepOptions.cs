namespace HerTools.Core.Sweeps;

/// <summary>The <c>local:</c> section of a sweep file.</summary>
/// <param name="Throttle">Runs trained at the same time; null: one per processor.</param>
public sealed record LocalSweepOptions(int? Throttle = null)
{
    /// <summary>The throttle in force: <see cref="Throttle"/>, or the processor count.</summary>
    public int EffectiveThrottle => Throttle ?? Environment.ProcessorCount;
}
