using System.Management.Automation;
using HerTools.Core.Envs;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Loads an environment plug-in (a .NET class library with <c>[GoalEnvironment]</c> classes) for this session and
/// writes the environments it registered. A config names plug-ins itself with <c>env.assembly</c>; this cmdlet is for
/// trying one out, tab completion and <c>Get-HerEnvironment</c>.
/// </summary>
[Cmdlet(VerbsData.Import, "HerEnvironment")]
[OutputType(typeof(EnvSpec))]
public sealed class ImportHerEnvironmentCommand : HerCmdlet
{
    /// <summary>The plug-in's assembly; <c>Get-ChildItem</c>'s output binds through <c>FullName</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    protected override void ProcessRecord()
    {
        string resolved = ResolvePath(Path);
        EnvPlugin plugin;
        try { plugin = EnvPluginLoader.Load(resolved); }
        catch (Exception e) { ThrowEngineError(e, resolved); return; }
        WriteVerbose($"Loaded '{plugin.Path}' (SHA-256 {plugin.Sha256}).");
        WriteObject(plugin.Environments, enumerateCollection: true);
    }
}
