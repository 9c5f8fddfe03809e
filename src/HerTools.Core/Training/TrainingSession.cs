using HerTools.Core.Checkpoints;
using HerTools.Core.Runs;

namespace HerTools.Core.Training;

/// <summary>
/// A <see cref="TrainingPlan"/> with its run folder claimed: created or opened, and locked until disposed, so no other
/// process writes the run meanwhile. <see cref="Run"/> trains.
/// </summary>
public sealed class TrainingSession : IDisposable
{
    private readonly RunFolder _folder;

    private TrainingSession(TrainingPlan plan, RunFolder folder, string? resumeFrom, string? partialLogsSetAside)
    {
        Plan = plan;
        _folder = folder;
        ResumeFrom = resumeFrom;
        PartialLogsSetAside = partialLogsSetAside;
    }

    public TrainingPlan Plan { get; }

    /// <summary>The run folder claimed (for a default name, possibly a later suffix than the plan's).</summary>
    public string RunDirectory => _folder.Path;

    /// <summary>The checkpoint the run continues from; null for a new run or a restart.</summary>
    public string? ResumeFrom { get; }

    /// <summary>Where the logs of an attempt killed before its first checkpoint were moved; null if none.</summary>
    public string? PartialLogsSetAside { get; }

    /// <summary>Claims the plan's run folder.</summary>
    /// <exception cref="RunLockedException">Another process is writing the run.</exception>
    /// <exception cref="RunFolderInUseException">A new run's folder holds a run by now.</exception>
    public static TrainingSession Open(TrainingPlan plan)
    {
        var folder = plan.Claim switch
        {
            RunFolderClaim.Default => RunFolder.CreateDefault(plan.RunsRoot!, plan.Stem!, plan.Config.Seed, plan.Requested),
            RunFolderClaim.Continue => RunFolder.OpenExisting(plan.RunDirectory),
            _ => RunFolder.CreateNew(plan.RunDirectory),
        };
        try
        {
            string? resumeFrom = plan.ResumeFrom?.Path;
            bool restart = plan.RestartsFromTheStart;
            if (plan.Claim == RunFolderClaim.Continue && plan.PicksLatest)
            {
                // Chosen again under the lock: the process that held the run until now may have written a newer one.
                resumeFrom = CheckpointStore.Latest(folder.Path)?.Path;
                restart = resumeFrom is null;
            }
            string? aside = restart ? folder.SetAsidePartialStart(DateTimeOffset.UtcNow) : null;
            return new TrainingSession(plan, folder, resumeFrom, aside);
        }
        catch
        {
            folder.Dispose();
            throw;
        }
    }

    /// <summary>Trains the run (see <see cref="HerTrainer.TrainHer"/>); the folder stays claimed until disposed.</summary>
    public TrainingResult Run(IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        try { return TrainingRun.Run(Plan.Config, _folder, progress, cancellationToken, ResumeFrom); }
        catch
        {
            _failedBeforeWriting = RunFolder.RunFilesIn(_folder.Path).Count == 0;
            throw;
        }
    }

    private bool _failedBeforeWriting;

    /// <summary>Releases the run folder's lock (and removes a folder this session made when training failed before writing to it).</summary>
    public void Dispose()
    {
        if (_failedBeforeWriting) _folder.DisposeRemovingIfUnused();
        else _folder.Dispose();
    }
}
