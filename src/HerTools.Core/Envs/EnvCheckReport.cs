namespace HerTools.Core.Envs;

/// <summary>
/// What <see cref="EnvChecker.Check"/> found. <see cref="Violations"/> is empty when the environment passed.
/// Each kind of check lists at most <see cref="EnvChecker.MaxListedPerCheck"/> violations and then one
/// line saying how many more there were.
/// </summary>
public sealed record EnvCheckReport(string EnvId, int Episodes, int Transitions, IReadOnlyList<EnvCheckViolation> Violations)
{
    public bool Passed => Violations.Count == 0;
}
