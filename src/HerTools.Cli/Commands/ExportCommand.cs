using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Training;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools export CHECKPOINT [--output FILE] [--format htp|onnx] [--force] [--json]</c>: a checkpoint's
/// policy as a file that runs without TorchSharp, through <see cref="PolicyExporter.Export"/>.</summary>
internal sealed class ExportCommand : Command
{
    private readonly Argument<string> _checkpoint = new("CHECKPOINT")
    {
        Description = "A checkpoint folder (run/checkpoints/step_N or run/checkpoints/best), or a run folder for its latest checkpoint.",
    };

    private readonly Option<string?> _output = new("--output", "-o")
    {
        Description = "The file to write. Default: policy.htp (policy.onnx with --format onnx) in the current folder.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _format = new("--format")
    {
        Description = "htp: a HerTools policy file for the HerTools.Policy library; onnx: an ONNX model. Default: onnx when FILE ends in .onnx, else htp.",
        HelpName = "FORMAT",
    };

    private readonly Option<bool> _force = new("--force") { Description = "Replace FILE if it exists." };

    private readonly Option<bool> _json = new("--json") { Description = "Print the result as JSON instead of text." };

    public ExportCommand(CliContext context) : base("export", "Export a checkpoint's policy to run without TorchSharp (HerTools.Policy library or ONNX).")
    {
        _format.AcceptOnlyFromAmong("htp", "onnx");
        Arguments.Add(_checkpoint.RejectingOptions());
        Options.Add(_output);
        Options.Add(_format);
        Options.Add(_force);
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed.GetValue(_checkpoint)!, parsed.GetValue(_output), parsed.GetValue(_format),
            parsed.GetValue(_force), parsed.GetValue(_json)));
    }

    private static int Run(CliContext context, string checkpoint, string? output, string? formatName, bool force, bool json)
    {
        var format = formatName switch
        {
            "onnx" => PolicyExportFormat.Onnx,
            "htp" => PolicyExportFormat.Htp,
            _ => output is not null && output.EndsWith(PolicyExporter.Extension(PolicyExportFormat.Onnx), StringComparison.OrdinalIgnoreCase)
                ? PolicyExportFormat.Onnx : PolicyExportFormat.Htp,
        };
        string path = CheckpointArgument.Resolve(checkpoint);
        var result = PolicyExporter.Export(path, output ?? PolicyExporter.DefaultFileName(format), format, overwrite: force);
        if (json)
        {
            CliJson.Write(context.Out, result);
            return ExitCodes.Success;
        }
        var table = new TextTable("field", "value");
        table.Add("policy", result.OutputPath);
        table.Add("format", format == PolicyExportFormat.Onnx ? "onnx" : "htp");
        table.Add("checkpoint", result.CheckpointPath);
        table.Add("environment", result.EnvironmentId);
        table.Add("layers", $"{result.ObservationSize}+{result.GoalSize} -> {string.Join(" -> ", result.HiddenSizes)} -> {result.ActionSize}");
        table.Add("parameters", result.ParameterCount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.Add("bytes", result.Bytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        table.Write(context.Out, header: false);
        return ExitCodes.Success;
    }
}
