using System.Management.Automation;

namespace HerTools.PowerShell.Completion;

/// <summary>Completion results for the names that start with what was typed (case-insensitive), quoted when they must be.</summary>
internal static class NameCompletion
{
    public static IEnumerable<CompletionResult> Complete(string wordToComplete, IEnumerable<(string Name, string Tooltip)> candidates)
    {
        string typed = (wordToComplete ?? "").Trim('\'', '"');
        foreach (var (name, tooltip) in candidates)
        {
            if (!name.StartsWith(typed, StringComparison.OrdinalIgnoreCase)) continue;
            string text = name.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', ';', ',']) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
            yield return new CompletionResult(text, name, CompletionResultType.ParameterValue, string.IsNullOrEmpty(tooltip) ? name : tooltip);
        }
    }
}
