namespace HerTools.Core.Envs;

/// <summary>One thing <see cref="EnvChecker"/> found wrong: the check that failed (one of the
/// <c>EnvChecker</c> check names, e.g. <c>reward</c>) and what was wrong, with the numbers.</summary>
public sealed record EnvCheckViolation(string Check, string Message)
{
    public override string ToString() => $"{Check}: {Message}";
}
