using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using HerTools.Core.Envs;

namespace HerTools.PowerShell.Completion;

/// <summary>Tab completion over the registered goal environments (<c>PointGoal-v0</c>, <c>BitFlip-v0</c>, ...).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        NameCompletion.Complete(wordToComplete, EnvRegistry.List().Select(e => (e.Id, e.Description)));
}
