namespace HerTools.Core.Training;

/// <summary>
/// Training produced a NaN or infinite loss, Q-value or weight. The run stops at once, keeps its last good
/// checkpoint and writes none from the broken state.
/// </summary>
public sealed class TrainingDivergedException : HerToolsException
{
    public TrainingDivergedException(long step, string quantity, double value)
        : base($"training diverged at step {step}: {quantity} is {Describe(value)}; the last good checkpoint is kept")
    {
        Step = step; Quantity = quantity; Value = value;
    }

    public long Step { get; }
    /// <summary>What went non-finite: <c>critic_loss</c>, <c>actor_loss</c>, <c>mean_q</c>, SAC's <c>entropy_coef</c> and
    /// <c>actor_log_prob</c>, or <c>weights</c>.</summary>
    public string Quantity { get; }
    public double Value { get; }

    private static string Describe(double v) =>
        double.IsNaN(v) ? "NaN" : double.IsPositiveInfinity(v) ? "+infinity" : double.IsNegativeInfinity(v) ? "-infinity" : "not finite";
}
