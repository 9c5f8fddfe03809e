namespace HerTools.Core.Config;

/// <summary>
/// A named algorithm <c>algo:</c> can select: a learner (<c>ddpg</c>, <c>td3</c>, <c>sac</c>) and whether the replay buffer
/// relabels goals. <see cref="Relabels"/> false gives plain replay, the baseline HER must beat.
/// </summary>
public sealed record AlgorithmSpec(string Name, string Description, bool Relabels, string Learner = "ddpg");
