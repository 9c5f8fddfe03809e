using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;

namespace HerTools.Core.Training;

/// <summary>
/// The rules of starting and resuming a run in a folder: a new run never writes over an earlier one, a resume
/// keeps the checkpoint's config (but for the budget and the thread count), continuing in the same folder cuts
/// what a dead process wrote after the checkpoint, and a branch into another folder starts with the history so far.
/// </summary>
internal static class RunResume
{
    /// <summary>Refuses a folder that already holds a run: its logs would be mixed or lost.</summary>
    public static void PrepareNewRunFolder(string runDirectory)
    {
        if (!Directory.Exists(runDirectory)) return;
        if (File.Exists(RunFiles.ProgressPath(runDirectory)) || CheckpointStore.List(runDirectory).Count > 0)
            throw new HerToolsException($"{runDirectory} already holds a run (progress.csv or checkpoints); resume it, or train into another folder");
    }

    /// <summary>The config a resume from <paramref name="reader"/> runs with: the checkpoint's, with the requested budget and thread count.</summary>
    public static HerConfig ResumeConfig(CheckpointReader reader, HerConfig? requested)
    {
        var saved = RunCheckpoint.ReadConfig(reader);
        if (requested is null) return saved;
        // Only the budget and the thread count may change on resume: anything else would not be the same run.
        var comparable = requested.Clone();
        comparable.TotalTimesteps = saved.TotalTimesteps;
        comparable.Threads = saved.Threads;
        comparable.RunId = saved.RunId;
        if (comparable.ToYaml() != saved.ToYaml())
            throw new ConfigException($"differs from the config of checkpoint {reader.Info.Path}; on resume only total_timesteps and threads may change", key: "config");
        var merged = saved.Clone();
        merged.TotalTimesteps = requested.TotalTimesteps;
        merged.Threads = requested.Threads;
        return merged;
    }

    public static bool IsSameFolder(string a, string b) => string.Equals(
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    /// <summary>
    /// Makes <paramref name="runDirectory"/>'s logs end at <paramref name="step"/>, the step of checkpoint
    /// <paramref name="checkpointPath"/> of run <paramref name="sourceRun"/>: cut in the same folder, copied for a branch.
    /// </summary>
    public static void AlignLogs(string checkpointPath, string sourceRun, string runDirectory, long step, CsvHelper.Configuration.ClassMap<ProgressRow> progressColumns)
    {
        if (IsSameFolder(sourceRun, runDirectory))
        {
            // Continuing from an older checkpoint would leave the newer ones of the abandoned timeline beside
            // the new ones, and a later resume could pick one of them up.
            var newer = CheckpointStore.List(runDirectory).Where(c => !c.IsBest && c.Step > step).Select(c => c.Name).ToList();
            if (newer.Count > 0)
                throw new HerToolsException($"{checkpointPath} is not the latest checkpoint of {runDirectory} ({string.Join(", ", newer)} are newer): " +
                    "resume from the latest, or branch into another folder");
            // Rows a dead process wrote after this checkpoint are cut, so no timestep appears twice.
            CsvLog<ProgressRow>.CutAfter(RunFiles.ProgressPath(runDirectory), row => row.Timesteps <= step, progressColumns);
            CsvLog<EvalRow>.CutAfter(RunFiles.EvalPath(runDirectory), row => row.Timesteps <= step);
        }
        else
        {
            // A branch starts its logs with the history up to the checkpoint.
            PrepareNewRunFolder(runDirectory);
            CopyRows(RunFiles.ProgressPath(sourceRun), RunFiles.ProgressPath(runDirectory), r => r.Timesteps <= step, progressColumns);
            CopyRows<EvalRow>(RunFiles.EvalPath(sourceRun), RunFiles.EvalPath(runDirectory), r => r.Timesteps <= step);
        }
    }

    /// <summary>The run folder's <c>config.yaml</c>: the config with its run id, headed by the id and the config hash.</summary>
    public static void WriteRunConfig(string runDirectory, string runId, string configHash, HerConfig configWithRunId) =>
        File.WriteAllText(RunFiles.ConfigPath(runDirectory), $"# run_id: {runId}\n# config_hash: {configHash}\n" + configWithRunId.ToYaml());

    private static void CopyRows<TRow>(string from, string to, Func<TRow, bool> keep, CsvHelper.Configuration.ClassMap<TRow>? columns = null)
    {
        using var log = new CsvLog<TRow>(to, columns);
        foreach (var row in CsvLog<TRow>.ReadAll(from).TakeWhile(keep)) log.Append(row);
    }
}
