namespace HerTools.Core.Sweeps;

/// <summary>One dotted config key and its value as YAML text (<c>0.5</c>, <c>[64, 64]</c>, <c>'BitFlip-v0'</c>), as a sweep sets it.</summary>
/// <param name="Key">A config key (<c>her.her_ratio</c>) or an environment option (<c>env.n_bits</c>).</param>
/// <param name="Value">The value as YAML text; read by <see cref="Config.ConfigLoader.ApplyOverride"/> like a <c>--set</c> value.</param>
public sealed record SweepOverride(string Key, string Value)
{
    /// <summary>The override as <see cref="Config.ConfigLoader.ApplyOverride"/> takes it: <c>key=value</c>.</summary>
    public string Text => Key + "=" + Value;
}
