using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Core.Training;

/// <summary>
/// The rules of resuming a run in a folder (which folder a run may use is <see cref="RunFolder"/>'s): a resume
/// keeps the checkpoint's config (but for the budget and the thread count), continuing in the same folder cuts
/// what a dead process wrote after the checkpoint, and a branch into another folder starts with the history so far.
/// </summary>
internal static class RunResume
{
    /// <summary>Keys of a checkpoint's summary: the byte lengths of the logs when it was taken.</summary>
    public const string ProgressBytesKey = "progress_csv_bytes", EvalBytesKey = "eval_csv_bytes";

    /// <summary>The config a resume from <paramref name="reader"/> runs with: the checkpoint's, with the requested budget
    /// and thread count (<see cref="ResumeRules"/>). The budget is checked against the step only once the state has
    /// vouched for it (<see cref="CheckBudget"/>): a damaged manifest's step is then refused as the checkpoint's fault.</summary>
    public static RunConfig ResumeConfig(CheckpointReader reader, RunConfig? requested) =>
        ResumeRules.Merge(RunCheckpoint.ReadConfig(reader), requested, step: 0, $"checkpoint {reader.Info.Path}");

    /// <summary>Refuses a budget below the restored step, before anything in the run folder changes.</summary>
    public static void CheckBudget(CheckpointReader reader, RunConfig config, long restoredStep) =>
        ResumeRules.CheckBudget(config, restoredStep, $"checkpoint {reader.Info.Path}");

    public static bool IsSameFolder(string a, string b) => string.Equals(
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    /// <summary>
    /// Makes <paramref name="runDirectory"/>'s logs end at <paramref name="step"/>, the step of checkpoint
    /// <paramref name="reader"/> of run <paramref name="sourceRun"/>: cut in the same folder, copied for a branch.
    /// </summary>
    /// <remarks>The run's <c>progress.csv</c> columns are <paramref name="progressColumns"/> (<see cref="ProgressRow.Columns"/>).</remarks>
    public static void AlignLogs(CheckpointReader reader, string sourceRun, string runDirectory, long step,
        CsvHelper.Configuration.ClassMap<ProgressRow> progressColumns)
    {
        string checkpointPath = reader.Info.Path;
        if (IsSameFolder(sourceRun, runDirectory))
        {
            // Continuing from an older checkpoint would leave the newer ones of the abandoned timeline beside
            // the new ones, and a later resume could pick one of them up.
            var newer = CheckpointStore.List(runDirectory).Where(c => !c.IsBest && c.Step > step).Select(c => c.Name).ToList();
            if (newer.Count > 0)
                throw new HerToolsException($"{checkpointPath} is not the latest checkpoint of {runDirectory} ({string.Join(", ", newer)} are newer): " +
                    "resume from the latest, or branch into another folder");
            // Rows a dead process wrote after this checkpoint are cut, so no timestep appears twice: back to the lengths
            // the checkpoint recorded; checkpoints from before those were recorded cut by reading the rows.
            CutLog(reader, ProgressBytesKey, RunFiles.ProgressPath(runDirectory), row => row.Timesteps <= step, progressColumns);
            CutLog<EvalRow>(reader, EvalBytesKey, RunFiles.EvalPath(runDirectory), row => row.Timesteps <= step);
        }
        else
        {
            // A branch starts its logs with the history up to the checkpoint (its folder was claimed empty of runs).
            CopyRows(RunFiles.ProgressPath(sourceRun), RunFiles.ProgressPath(runDirectory), r => r.Timesteps <= step, progressColumns);
            CopyRows<EvalRow>(RunFiles.EvalPath(sourceRun), RunFiles.EvalPath(runDirectory), r => r.Timesteps <= step);
        }
    }

    /// <summary>The run folder's <c>config.yaml</c>: the config with its run id, headed by the id, the config hash and the
    /// plug-ins' SHA-256.</summary>
    public static void WriteRunConfig(RunFolder folder, string runId, string configHash, RunConfig configWithRunId) =>
        folder.WriteConfig($"# run_id: {runId}\n# config_hash: {configHash}\n" + EnvPluginRecord.AsComments(configWithRunId) + configWithRunId.ToYaml());

    private static void CutLog<TRow>(CheckpointReader reader, string key, string path, Func<TRow, bool> keep,
        CsvHelper.Configuration.ClassMap<TRow>? columns = null)
    {
        if (reader.Summary.Extra.TryGetValue(key, out string? text)
            && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long bytes)
            && CsvLog<TRow>.TruncateTo(path, bytes))
            return;
        CsvLog<TRow>.CutAfter(path, keep, columns);
    }

    private static void CopyRows<TRow>(string from, string to, Func<TRow, bool> keep, CsvHelper.Configuration.ClassMap<TRow>? columns = null)
    {
        using var log = new CsvLog<TRow>(to, columns);
        foreach (var row in CsvLog<TRow>.ReadAll(from).TakeWhile(keep)) log.Append(row);
    }
}
