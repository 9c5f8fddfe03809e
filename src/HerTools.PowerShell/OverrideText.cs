using System.Collections;
using System.Management.Automation;
using HerTools.Core.Scalars;

namespace HerTools.PowerShell;

/// <summary>Turns <c>-Set @{ 'ddpg.batch_size' = 128 }</c> into the engine's <c>dotted.key=value</c> overrides.
/// Values are written as YAML, as the engine reads them: numbers invariant, booleans lower case, arrays as
/// flow lists, strings as typed (so <c>'[64, 64]'</c> is a list too).</summary>
internal static class OverrideText
{
    /// <param name="table">The -Set table.</param>
    /// <param name="resolvePath">Makes the paths of <c>env.assembly</c> absolute against the PowerShell location (the
    /// engine would take the process's working directory, which PowerShell does not move).</param>
    public static IEnumerable<string> FromTable(IDictionary table, Func<string, string>? resolvePath = null)
    {
        foreach (DictionaryEntry entry in table)
        {
            object? value = entry.Value;
            if (resolvePath is not null && Unwrap(entry.Key) is "env.assembly")
                value = Unwrap(value) is string one ? resolvePath(one)
                    : Unwrap(value) is IEnumerable many ? many.Cast<object?>().Select(p => (object?)resolvePath(Unwrap(p)?.ToString() ?? "")).ToArray() : value;
            yield return $"{Unwrap(entry.Key)}={Format(value)}";
        }
    }

    public static string Format(object? value) => Unwrap(value) switch
    {
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        var other => ScalarText.Format(other),
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
