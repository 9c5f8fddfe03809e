using HerTools.Core.Checkpoints;
using HerTools.Policy;

namespace HerTools.Core.Training;

/// <summary>
/// Writes a checkpoint's policy in a form that runs without TorchSharp: the actor's weights, the normalisers'
/// statistics with their clip range, the action scaling and the input layout (relative goals), as a HerTools
/// policy file for the HerTools.Policy library or as an ONNX model. The file is written beside its final name and
/// renamed over it, so a reader never sees half a policy.
/// </summary>
public static class PolicyExporter
{
    /// <summary>The output file name used when none is given: <c>policy.htp</c> or <c>policy.onnx</c>.</summary>
    public static string DefaultFileName(PolicyExportFormat format) => "policy" + Extension(format);

    /// <summary>The extension of <paramref name="format"/>'s files, with the dot.</summary>
    public static string Extension(PolicyExportFormat format) => format switch
    {
        PolicyExportFormat.Htp => PolicyFile.Extension,
        PolicyExportFormat.Onnx => PolicyOnnx.Extension,
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not an export format"),
    };

    /// <summary>
    /// Exports the policy of <paramref name="checkpointPath"/> (a checkpoint folder, or a run folder for its latest
    /// checkpoint) to <paramref name="outputPath"/>. An existing file is replaced only with <paramref name="overwrite"/>.
    /// </summary>
    public static PolicyExportResult Export(string checkpointPath, string outputPath, PolicyExportFormat format, bool overwrite = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(checkpointPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        string output = Path.GetFullPath(outputPath);
        if (Directory.Exists(output)) throw new HerToolsException($"{output} is a folder; give the policy file's path");
        if (File.Exists(output) && !overwrite) throw new HerToolsException($"{output} already exists; choose another path or allow overwriting it");
        string checkpoint = CheckpointStore.ResolveCheckpointPath(checkpointPath);

        PolicyModel model;
        using (var loaded = RunCheckpoint.LoadPolicy(checkpoint, threads: 1))
            model = loaded.Policy.ExportPolicy(loaded.Config.Algo, loaded.Config.Env.Id);

        string? folder = Path.GetDirectoryName(output);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        string temporary = output + ".tmp-" + Environment.ProcessId;
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                if (format == PolicyExportFormat.Onnx) PolicyOnnx.Write(model, stream);
                else PolicyFile.Write(model, stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temporary, output, overwrite);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        return new PolicyExportResult(output, format, checkpoint, model.EnvironmentId, model.Algorithm,
            model.ObservationSize, model.GoalSize, model.ActionSize, model.HiddenSizes, model.Parameters.Length, new FileInfo(output).Length);
    }
}
