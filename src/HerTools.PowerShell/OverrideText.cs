using System.Collections;
using System.Management.Automation;
using HerTools.Core.Scalars;

namespace HerTools.PowerShell;

/// <summary>Turns <c>-Set @{ 'ddpg.batch_size' = 128 }</c> into the engine's <c>dotted.key=value</c> overrides.
/// Values are written as YAML, as the engine reads them: numbers invariant, booleans lower case, arrays as
/// flow lists, strings as typed (so <c>'[64, 64]'</c> is a list too).</summary>
internal static class OverrideText
{
    public static IEnumerable<string> FromTable(IDictionary table)
    {
        foreach (DictionaryEntry entry in table)
            yield return $"{Unwrap(entry.Key)}={Format(entry.Value)}";
    }

    public static string Format(object? value) => Unwrap(value) switch
    {
        string s => s,
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        var other => ScalarText.Format(other),
    };

    private static object? Unwrap(object? value) => value is PSObject wrapped ? wrapped.BaseObject : value;
}
