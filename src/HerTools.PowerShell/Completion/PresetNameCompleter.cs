using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HerTools.Core.Config;

namespace HerTools.PowerShell.Completion;

/// <summary>Tab completion over the shipped presets (<c>point_goal</c>, <c>bitflip</c>, ...).</summary>
public sealed class PresetNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete(wordToComplete, Presets.List().Select(p => (p.Name, p.Description)));
}
