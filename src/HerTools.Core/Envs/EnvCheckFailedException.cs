namespace HerTools.Core.Envs;

/// <summary>Raised when training refuses an environment that failed the checks it cannot train without (rewards that
/// disagree with <see cref="IGoalEnv.ComputeReward"/>, malformed spaces, exceptions); <see cref="Report"/> has them all.</summary>
public sealed class EnvCheckFailedException : HerToolsException
{
    public EnvCheckFailedException(string message, EnvCheckReport report) : base(message) => Report = report;

    /// <summary>Everything the check found.</summary>
    public EnvCheckReport Report { get; }
}
