using System.Collections;
using System.Management.Automation;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.PowerShell.Completion;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Plays a goal environment with random actions and reports every way it breaks the contract HER relies on (spaces,
/// determinism, saved state, reward equal to ComputeReward, batched results), one warning per violation.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "HerEnvironment")]
[OutputType(typeof(EnvCheckReport))]
public sealed class TestHerEnvironmentCommand : HerCmdlet
{
    /// <summary>The environment id.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Id { get; set; } = "";

    /// <summary>Environment plug-ins to load first.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? Assembly { get; set; }

    /// <summary>The environment's options: <c>@{ 'env.n_bits' = 12 }</c>.</summary>
    [Parameter]
    [ValidateNotNull]
    public IDictionary? Set { get; set; }

    /// <summary>Episodes to play.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int Episodes { get; set; } = 5;

    /// <summary>Seed of the random actions; episode k is reset with <c>Seed + k - 1</c>.</summary>
    [Parameter]
    public ulong Seed { get; set; }

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
        EnvCheckReport report;
        try
        {
            var config = new RunConfig();
            foreach (string text in Set is null ? [] : OverrideText.FromTable(Set))
            {
                if (!text.StartsWith("env.", StringComparison.Ordinal) || text.StartsWith("env.id=", StringComparison.Ordinal)
                    || text.StartsWith("env.assembly=", StringComparison.Ordinal))
                    throw new ArgumentException($"-Set takes the environment's options here (env.<option>), got '{text}'");
                ConfigLoader.ApplyOverride(config, text);
            }
            report = EnvChecker.Check(Id, new Dictionary<string, object?>(config.Env.Options), Episodes, Seed);
        }
        catch (Exception e) { ThrowEngineError(e, Id); return; }
        foreach (var violation in report.Violations) WriteWarning($"{report.EnvId}: {violation}");
        WriteObject(report);
    }
}
