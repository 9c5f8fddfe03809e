namespace HerTools.Core.Config;

/// <summary>
/// A named algorithm <c>algo:</c> can select. Both built-ins learn with DDPG; they differ in whether the
/// replay buffer relabels goals. <see cref="Relabels"/> false gives plain replay, the baseline HER must beat.
/// </summary>
public sealed record AlgorithmSpec(string Name, string Description, bool Relabels);
