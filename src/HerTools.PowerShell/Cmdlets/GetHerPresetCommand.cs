using System.Management.Automation;
using HerTools.Core.Config;
using HerTools.PowerShell.Completion;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>Lists the presets shipped with the engine, each with its description and YAML.</summary>
[Cmdlet(VerbsCommon.Get, "HerPreset")]
[OutputType(typeof(PresetInfo))]
public sealed class GetHerPresetCommand : HerCmdlet
{
    /// <summary>Preset names; wildcards allowed. All presets when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void ProcessRecord()
    {
        var presets = Presets.List();
        foreach (string pattern in Name ?? ["*"])
        {
            var matcher = WildcardPattern.Get(pattern, WildcardOptions.IgnoreCase);
            var found = presets.Where(p => matcher.IsMatch(p.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(pattern))
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No preset '{pattern}'. Shipped presets: {string.Join(", ", presets.Select(p => p.Name))}."),
                    "PresetNotFound", ErrorCategory.ObjectNotFound, pattern));
                continue;
            }
            WriteObject(found, enumerateCollection: true);
        }
    }
}
