using System.Collections.Concurrent;

namespace HerTools.Core.Config;

/// <summary>
/// The algorithms a config's <c>algo:</c> key may name: a learner with (<c>her</c>, <c>td3_her</c>, <c>sac_her</c>) or without
/// (<c>ddpg</c>, <c>td3</c>, <c>sac</c>) hindsight relabeling, and any a user registers. <c>her</c> is DDPG with HER, the
/// first algorithm of this tool, so every config and checkpoint written before TD3 and SAC still means what it meant.
/// </summary>
public static class AlgorithmRegistry
{
    private static readonly ConcurrentDictionary<string, AlgorithmSpec> Specs = new(StringComparer.Ordinal)
    {
        ["her"] = new("her", "DDPG with Hindsight Experience Replay: sampled transitions relabeled with achieved goals, rewards and terminations recomputed.",
            Relabels: true),
        ["ddpg"] = new("ddpg", "DDPG with plain replay of the goals actually pursued (no relabeling).", Relabels: false),
        ["td3_her"] = new("td3_her", "TD3 (twin critics, target smoothing, delayed actor) with Hindsight Experience Replay.", Relabels: true, Learner: "td3"),
        ["td3"] = new("td3", "TD3 with plain replay (no relabeling).", Relabels: false, Learner: "td3"),
        ["sac_her"] = new("sac_her", "SAC (tanh-Gaussian actor, twin critics, tuned entropy) with Hindsight Experience Replay.", Relabels: true,
            Learner: "sac"),
        ["sac"] = new("sac", "SAC with plain replay (no relabeling).", Relabels: false, Learner: "sac"),
    };

    public static IReadOnlyList<AlgorithmSpec> List() => Specs.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public static bool IsRegistered(string name) => Specs.ContainsKey(name);

    public static AlgorithmSpec Get(string name) => Specs.TryGetValue(name, out var spec) ? spec
        : throw new ConfigException($"unknown algorithm '{name}'; registered: {string.Join(", ", Specs.Keys.Order(StringComparer.Ordinal))}", key: "algo");

    /// <summary>Adds a user's algorithm; refuses to replace one of the same name.</summary>
    public static void Register(AlgorithmSpec spec)
    {
        if (spec.Learner is not ("ddpg" or "td3" or "sac"))
            throw new ArgumentException($"algorithm '{spec.Name}' names learner '{spec.Learner}'; the learners are ddpg, td3 and sac", nameof(spec));
        if (!Specs.TryAdd(spec.Name, spec)) throw new ArgumentException($"an algorithm named '{spec.Name}' is already registered", nameof(spec));
    }
}
