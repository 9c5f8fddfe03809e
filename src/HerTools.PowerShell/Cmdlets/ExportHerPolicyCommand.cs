using System.Management.Automation;
using HerTools.Core.Runs;
using HerTools.Core.Training;

namespace HerTools.PowerShell.Cmdlets;

/// <summary>
/// Writes a checkpoint's policy as a file that runs without TorchSharp: a HerTools policy file for the
/// HerTools.Policy library (<c>-Format Htp</c>, the default) or an ONNX model (<c>-Format Onnx</c>).
/// </summary>
[Cmdlet(VerbsData.Export, "HerPolicy", SupportsShouldProcess = true)]
[OutputType(typeof(PolicyExportResult))]
public sealed class ExportHerPolicyCommand : HerCmdlet
{
    /// <summary>A checkpoint folder, or a run folder for its latest checkpoint; <c>Get-HerCheckpoint</c>'s output binds through <c>Path</c>.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The file to write; by default <c>policy.htp</c> (<c>policy.onnx</c> with <c>-Format Onnx</c>) in the current location.</summary>
    [Parameter(Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    [Parameter]
    public PolicyExportFormat Format { get; set; } = PolicyExportFormat.Htp;

    /// <summary>Replace the output file if it exists.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        string given = ResolveExistingDirectory(Path, "Checkpoint folder");
        string output = ResolvePath(OutputPath ?? PolicyExporter.DefaultFileName(Format));
        PolicyExportResult result;
        try
        {
            string checkpoint = RunRecords.ResolveCheckpoint(given);
            if (!ShouldProcess(output, $"Export the policy of '{checkpoint}' as {Format}")) return;
            result = PolicyExporter.Export(checkpoint, output, Format, overwrite: Force);
        }
        catch (Exception e) { ThrowEngineError(e, given); return; }
        WriteObject(result);
    }
}
