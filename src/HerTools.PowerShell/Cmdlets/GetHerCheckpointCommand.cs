using System.Management.Automation;
using HerTools.Core.Checkpoints;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Lists the checkpoints of one or more run folders, newest first (at equal steps the regular one before
/// <c>best</c>), read from their <c>checkpoint.json</c> without loading weights; <c>-Latest</c> or <c>-Best</c>
/// picks one per run. <c>-Verify</c> checks every file of each (hash and content) and writes an error instead of
/// the checkpoint for each one that fails.
/// </summary>
[Cmdlet(VerbsCommon.Get, "HerCheckpoint", DefaultParameterSetName = AllSet)]
[OutputType(typeof(CheckpointInfo))]
public sealed class GetHerCheckpointCommand : HerCmdlet
{
    private const string AllSet = "All";
    private const string LatestSet = "Latest";
    private const string BestSet = "Best";

    /// <summary>Run folders; <c>Start-HerTraining</c>'s output binds through <c>RunDirectory</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("RunDirectory")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = [];

    /// <summary>Only the newest checkpoint of each run.</summary>
    [Parameter(Mandatory = true, ParameterSetName = LatestSet)]
    public SwitchParameter Latest { get; set; }

    /// <summary>Only the checkpoint with the best evaluation success of each run.</summary>
    [Parameter(Mandatory = true, ParameterSetName = BestSet)]
    public SwitchParameter Best { get; set; }

    /// <summary>Check every file of each checkpoint: its SHA-256 against <c>checkpoint.json</c> and its content against
    /// the config and the environment; a checkpoint that fails is written as an InvalidCheckpoint error, not output.</summary>
    [Parameter]
    public SwitchParameter Verify { get; set; }

    protected override void ProcessRecord()
    {
        foreach (string path in Path)
        {
            string runDirectory = ResolveRunDirectory(path);
            IReadOnlyList<CheckpointInfo> found;
            try
            {
                found = ParameterSetName switch
                {
                    LatestSet => RunRecords.LatestCheckpoint(runDirectory) is { } latest ? [latest] : [],
                    BestSet => RunRecords.BestCheckpoint(runDirectory) is { } best ? [best] : [],
                    _ => RunRecords.Checkpoints(runDirectory),
                };
            }
            catch (Exception e) { ThrowEngineError(e, runDirectory); continue; }

            if (found.Count == 0 && ParameterSetName != AllSet)
            {
                string why = Best ? " (checkpoint.keep_best is off, or no evaluation has run)" : "";
                WriteError(new ErrorRecord(new ItemNotFoundException($"Run folder '{runDirectory}' has no {ParameterSetName.ToLowerInvariant()} " +
                    $"checkpoint{why}."),
                    "CheckpointNotFound", ErrorCategory.ObjectNotFound, runDirectory));
                continue;
            }
            if (!Verify)
            {
                WriteObject(found, enumerateCollection: true);
                continue;
            }
            foreach (var checkpoint in found)
            {
                var verification = CheckpointVerifier.Verify(checkpoint);
                if (verification.IsValid) WriteObject(checkpoint);
                else WriteError(EngineErrors.ToErrorRecord(verification.Error!, checkpoint.Path));
            }
        }
    }
}
