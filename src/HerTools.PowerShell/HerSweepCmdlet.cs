using System.Collections.Concurrent;
using System.Management.Automation;
using HerTools.Core.Sweeps;

namespace HerTools.PowerShell;

/// <summary>
/// What <c>Start-HerSweep</c> and <c>Resume-HerSweep</c> share: run a sweep folder's unfinished runs locally on worker
/// threads (progress and results back on the pipeline thread; Ctrl+C stops every run after a checkpoint) or submit
/// them to Slurm as one job array.
/// </summary>
public abstract class HerSweepCmdlet : HerCmdlet
{
    private const int ProgressActivityId = 2;
    private CancellationTokenSource? _cancel;

    /// <summary>Where to run: <c>Local</c> or <c>Slurm</c>; default the sweep file's <c>backend</c>.</summary>
    [Parameter]
    public SweepBackend? Backend { get; set; }

    /// <summary>Local backend: runs trained at a time; default the sweep file's <c>local.throttle</c>.</summary>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int? Throttle { get; set; }

    /// <summary>Slurm backend: the her-tools executable each array task runs; default <c>her-tools</c> on PATH.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? HerToolsPath { get; set; }

    protected override void StopProcessing()
    {
        try { _cancel?.Cancel(); } catch (ObjectDisposedException) { }
    }

    /// <summary>A sentence for ShouldProcess: what running <paramref name="folder"/> will do.</summary>
    protected string Describe(SweepFolder folder)
    {
        int todo = SweepRunner.UnfinishedRunCount(folder);
        return SweepRunner.BackendOf(folder, Backend) == SweepBackend.Slurm
            ? $"Submit {todo} of {folder.Runs.Count} runs of '{folder.Directory}' to Slurm as one job array"
            : $"Train {todo} of {folder.Runs.Count} runs of '{folder.Directory}', {Throttle ?? folder.Definition.Local.EffectiveThrottle} at a time";
    }

    /// <summary>Runs or submits the folder's unfinished runs and writes every run's status.</summary>
    protected void RunSweep(SweepFolder folder)
    {
        if (SweepRunner.BackendOf(folder, Backend) == SweepBackend.Slurm)
        {
            SweepStartResult submitted = null!;
            try { submitted = SweepRunner.Start(folder, new SweepStartRequest(SweepBackend.Slurm, HerToolsCommand: [ResolveHerTools()])); }
            catch (Exception e) { ThrowEngineError(e, folder.Directory); }
            WriteVerbose(submitted.Submission is not { } submission
                ? $"Nothing to submit: every run of '{folder.Directory}' is done, queued or running."
                : $"Submitted job array {submission.JobId} ({submission.Indices.Count} runs): sbatch {string.Join(' ', submission.Arguments)}");
            WriteObject(submitted.Statuses, enumerateCollection: true);
            return;
        }

        using var cancel = new CancellationTokenSource();
        using var finished = new BlockingCollection<SweepRunStatus>();
        _cancel = cancel;
        int todo = SweepRunner.UnfinishedRunCount(folder);
        var worker = Task.Factory.StartNew(() =>
        {
            try { return SweepRunner.Start(folder, new SweepStartRequest(SweepBackend.Local, Throttle), new Reporter(finished), cancel.Token).Statuses; }
            finally { finished.CompleteAdding(); }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        string activity = $"Sweep {folder.Directory}";
        int done = 0;
        foreach (var status in finished.GetConsumingEnumerable())
        {
            if (Stopping) continue;
            done++;
            WriteVerbose($"{status.RunId}: {SweepFolder.StateName(status.State)} at {status.Timesteps:N0} steps"
                + (status.Error is null ? "" : $" ({status.Error})"));
            WriteProgress(new ProgressRecord(ProgressActivityId, activity, $"{done} of {todo} runs finished; last: {status.RunId}")
            { PercentComplete = todo == 0 ? 100 : Math.Min(100, 100 * done / todo) });
        }
        IReadOnlyList<SweepRunStatus> statuses = [];
        try { statuses = worker.GetAwaiter().GetResult(); }
        catch (Exception e)
        {
            if (Stopping) return;
            ThrowEngineError(e, folder.Directory);
        }
        if (Stopping) return;
        WriteProgress(new ProgressRecord(ProgressActivityId, activity, "done") { RecordType = ProgressRecordType.Completed });
        WriteObject(statuses, enumerateCollection: true);
    }

    private string ResolveHerTools()
    {
        if (HerToolsPath is not null) return ResolvePath(HerToolsPath);
        var command = InvokeCommand.GetCommand("her-tools", CommandTypes.Application);
        if (command is ApplicationInfo application) return application.Path;
        ThrowTerminatingError(new ErrorRecord(
            new FileNotFoundException("Slurm tasks run 'her-tools sweep task'; install the her-tools tool on PATH or give -HerToolsPath."),
            "HerToolsNotFound", ErrorCategory.ObjectNotFound, "her-tools"));
        return ""; // not reached: ThrowTerminatingError throws
    }

    /// <summary>Hands run results from the worker threads to the pipeline thread.</summary>
    private sealed class Reporter(BlockingCollection<SweepRunStatus> queue) : IProgress<SweepRunStatus>
    {
        public void Report(SweepRunStatus value)
        {
            try { queue.TryAdd(value); } catch (InvalidOperationException) { }
        }
    }
}
