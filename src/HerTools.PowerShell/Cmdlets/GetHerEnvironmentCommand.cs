using System.Management.Automation;
using HerTools.Core.Envs;
using HerTools.PowerShell.Completion;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>Lists the registered goal environments with their options (type, default, range, meaning); with
/// <c>-Assembly</c>, after loading environment plug-ins.</summary>
[Cmdlet(VerbsCommon.Get, "HerEnvironment")]
[OutputType(typeof(EnvSpec))]
public sealed class GetHerEnvironmentCommand : HerCmdlet
{
    /// <summary>Environment ids; wildcards allowed. All registered environments when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Environment plug-ins (.NET class libraries, as <c>env.assembly</c> names them) to load first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Assembly { get; set; }

    protected override void BeginProcessing()
    {
        foreach (string path in Assembly ?? [])
        {
            string resolved = ResolvePath(path);
            try { EnvPluginLoader.Load(resolved); }
            catch (Exception e) { ThrowEngineError(e, resolved); }
        }
    }

    protected override void ProcessRecord()
    {
        var environments = EnvRegistry.List();
        foreach (string pattern in Name ?? ["*"])
        {
            var matcher = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            var found = environments.Where(e => matcher.IsMatch(e.Id)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No environment '{pattern}'. Registered: {string.Join(", ", environments.Select(e => e.Id))}."),
                    "EnvironmentNotFound", ErrorCategory.ObjectNotFound, pattern));
                continue;
            }
            WriteObject(found, enumerateCollection: true);
        }
    }
}
