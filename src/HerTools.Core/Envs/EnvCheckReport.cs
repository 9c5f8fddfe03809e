namespace HerTools.Core.Envs;

/// <summary>
/// What <see cref="EnvChecker.Check(IGoalEnv, int, ulong, bool)"/> found. <see cref="Violations"/> is empty when the environment passed.
/// Each kind of check lists at most <see cref="EnvChecker.MaxListedPerCheck"/> violations and then one
/// line saying how many more there were.
/// </summary>
/// <param name="EnvId">The checked environment's <see cref="IGoalEnv.Id"/>.</param>
/// <param name="Episodes">Episodes played (fewer than asked when a reset fails or returns unusable arrays).</param>
/// <param name="Transitions">Steps played in those episodes, each checked against the batched functions.</param>
/// <param name="Violations">What is wrong, in the order found; empty when the environment passed.</param>
public sealed record EnvCheckReport(string EnvId, int Episodes, int Transitions, IReadOnlyList<EnvCheckViolation> Violations)
{
    /// <summary>True when no violation was found.</summary>
    public bool Passed => Violations.Count == 0;
}
