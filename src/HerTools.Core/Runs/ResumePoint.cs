using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;

namespace HerTools.Core.Runs;

/// <summary>
/// What a resume continues from, found from what the user named: a checkpoint (its run is two levels up only when it
/// sits in a run's <c>checkpoints/</c> folder), or a run folder (its latest regular checkpoint; a run that never reached
/// one restarts from its <c>config.yaml</c>).
/// </summary>
public sealed record ResumePoint(CheckpointInfo? Checkpoint, string? RunDirectory, bool GivenAsRun, string SavedConfigPath)
{
    /// <summary>The step the run continues from (0 for a restart).</summary>
    public long Step => Checkpoint?.Step ?? 0;

    /// <exception cref="RunRequestException">Nothing exists at <paramref name="given"/>.</exception>
    /// <exception cref="CheckpointException">It is neither a checkpoint nor a run, or is a run with nothing to resume.</exception>
    public static ResumePoint Find(string given)
    {
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(given));
        if (!Directory.Exists(full) && !File.Exists(full)) throw new RunRequestException($"checkpoint not found: {given}", full);
        bool namesCheckpoint = File.Exists(full) || File.Exists(Path.Combine(full, CheckpointStore.ManifestFileName));
        if (!namesCheckpoint)
        {
            string run = Path.GetFileName(full) == RunFiles.Checkpoints && !File.Exists(RunFiles.ProgressPath(full)) ? Path.GetDirectoryName(full)! : full;
            if (RunFolder.RunFilesIn(run).Count > 0 && CheckpointStore.Latest(run) is null)
            {
                // Killed before its first checkpoint: nothing to continue, but its config.yaml says what to start again.
                if (!File.Exists(RunFiles.ConfigPath(run)))
                    throw new CheckpointException(run, null, CheckpointProblem.NotACheckpoint,
                        $"the run has no complete checkpoint and no {RunFiles.Config} to start it again from");
                return new ResumePoint(null, run, GivenAsRun: true, RunFiles.ConfigPath(run));
            }
        }
        string checkpoint = CheckpointStore.ResolveCheckpointPath(full);
        var info = CheckpointStore.ReadInfo(checkpoint);
        bool inRun = Path.GetFileName(Path.GetDirectoryName(checkpoint)) == RunFiles.Checkpoints;
        return new ResumePoint(info, inRun ? info.RunDirectory : null, GivenAsRun: !namesCheckpoint,
            Path.Combine(checkpoint, RunFiles.Config));
    }

    /// <summary>The config the run was saved with (read without verifying the checkpoint: training verifies it when it loads it).</summary>
    public RunConfig LoadSavedConfig() => ConfigLoader.LoadFile(SavedConfigPath);

    /// <summary>"checkpoint PATH", or "run PATH (no checkpoint yet)".</summary>
    public string Describe() => Checkpoint is { } c ? $"checkpoint {c.Path}" : $"run {RunDirectory} (no checkpoint yet)";
}
