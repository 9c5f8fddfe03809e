using System.Collections.Concurrent;

namespace HerTools.Core.Config;

/// <summary>The algorithms a config's <c>algo:</c> key may name: <c>her</c>, <c>ddpg</c>, and any a user registers.</summary>
public static class AlgorithmRegistry
{
    private static readonly ConcurrentDictionary<string, AlgorithmSpec> Specs = new(StringComparer.Ordinal)
    {
        ["her"] = new("her", "DDPG with Hindsight Experience Replay: sampled transitions relabeled with achieved goals, rewards and terminations recomputed.",
            Relabels: true),
        ["ddpg"] = new("ddpg", "DDPG with plain replay of the goals actually pursued (no relabeling).", Relabels: false),
    };

    public static IReadOnlyList<AlgorithmSpec> List() => Specs.Values.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();

    public static bool IsRegistered(string name) => Specs.ContainsKey(name);

    public static AlgorithmSpec Get(string name) => Specs.TryGetValue(name, out var spec) ? spec
        : throw new ConfigException($"unknown algorithm '{name}'; registered: {string.Join(", ", Specs.Keys.Order(StringComparer.Ordinal))}", key: "algo");

    /// <summary>Adds a user's algorithm; refuses to replace one of the same name.</summary>
    public static void Register(AlgorithmSpec spec)
    {
        if (!Specs.TryAdd(spec.Name, spec)) throw new ArgumentException($"an algorithm named '{spec.Name}' is already registered", nameof(spec));
    }
}
