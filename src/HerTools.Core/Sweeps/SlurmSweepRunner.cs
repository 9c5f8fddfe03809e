using System.Globalization;
using System.Text;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Runs a sweep as one Slurm job array: a task per run, the array index being the run's row in <c>runs.csv</c>.
/// Each task runs <c>her-tools sweep task DIR INDEX</c> (<see cref="SweepTask.Run"/>), which resumes the run from its
/// latest checkpoint; tasks are requeueable and get SIGTERM <c>slurm.signal_seconds</c> before their time limit, on
/// which they checkpoint and stop. Job ids are kept in <c>slurm/jobs.txt</c>; status combines the run folders with
/// <c>squeue</c> (and <c>sacct</c> where accounting is on).
/// </summary>
public static class SlurmSweepRunner
{
    public const string SlurmFolder = "slurm";
    public const string ScriptFile = "sweep.sbatch";
    public const string JobsFile = "jobs.txt";

    /// <summary>True when a Slurm controller answers here (<c>sinfo</c> runs and exits 0).</summary>
    public static bool IsAvailable() => SchedulerCommands.Answers("sinfo", "-h", "-o", "%P");

    /// <summary>
    /// Writes <c>slurm/sweep.sbatch</c> and submits the runs that are neither done nor already queued or running as one
    /// array: <c>sbatch --parsable --array=I,J-K%max_concurrent --requeue --signal=B:TERM@N ...</c>. The same call resumes
    /// a sweep: runs done are never submitted again. Returns null when there is nothing to submit. For a search, one step
    /// of its controller: the rungs whose results are in are decided, and the rung being trained is submitted.
    /// </summary>
    /// <param name="folder">The sweep.</param>
    /// <param name="herToolsCommand">How a task starts her-tools on the compute node: the executable, then any
    /// arguments before the command (<c>["/usr/bin/dotnet", "/opt/her-tools/her-tools.dll"]</c>). The front end
    /// passes its own path.</param>
    /// <exception cref="SweepException"><c>sbatch</c> is missing or refused the job (its message is included), or
    /// <c>squeue</c> does not answer.</exception>
    public static SlurmSubmission? Submit(SweepFolder folder, IReadOnlyList<string> herToolsCommand)
    {
        if (herToolsCommand.Count == 0) throw new ArgumentException("needs at least the her-tools executable", nameof(herToolsCommand));
        // Unknown is not "none queued": submitting then would start a second task on a run that is queued or running.
        var queue = ReadQueue(folder) ?? throw new SweepException(
            "squeue does not answer: cannot tell which of the sweep's runs are queued or running, so nothing was submitted; try again");
        var statuses = folder.ReadStatus(queue);
        if (folder.Definition.Search is not null) return SubmitRung(folder, herToolsCommand, statuses);
        var indices = statuses
            .Where(s => s.State is not (SweepRunState.Done or SweepRunState.Running) && s.SchedulerState is null)
            .Select(s => s.Index).ToList();
        return SubmitIndices(folder, herToolsCommand, indices);
    }

    /// <summary>
    /// A search's controller step: decides the rungs whose runs are all in (<see cref="SweepSearch.Advance"/>), then submits
    /// the runs of the rung being trained that are neither in, running nor queued, as one array. Each task reads the rung's
    /// budget from <c>search.json</c> when it starts. Null when there is nothing to submit (the rung's runs are queued or
    /// running, or the search has ended).
    /// </summary>
    private static SlurmSubmission? SubmitRung(SweepFolder folder, IReadOnlyList<string> herToolsCommand, IReadOnlyList<SweepRunStatus> statuses)
    {
        var state = SweepSearch.Advance(folder, statuses);
        if (SweepSearch.CurrentRung(folder, state) is not { } rung) return null;
        var indices = rung.Runs.Where(i => !SweepSearch.IsIn(statuses[i], rung.Budget) && statuses[i].State != SweepRunState.Running
            && statuses[i].SchedulerState is null).ToList();
        return SubmitIndices(folder, herToolsCommand, indices);
    }

    private static SlurmSubmission? SubmitIndices(SweepFolder folder, IReadOnlyList<string> herToolsCommand, IReadOnlyList<int> indices)
    {
        if (indices.Count == 0) return null;

        string slurmDir = Path.Combine(folder.Directory, SlurmFolder);
        Directory.CreateDirectory(slurmDir);
        string script = Path.Combine(slurmDir, ScriptFile);
        SweepFolder.WriteAtomically(script, Script(folder, herToolsCommand));
        var arguments = SubmitArguments(folder, indices, script);
        var result = SchedulerCommands.Run("sbatch", arguments);
        string output = result.StandardOutput.Trim();
        if (result.ExitCode != 0 || output.Length == 0)
            throw new SweepException($"sbatch refused the sweep's job array (exit code {result.ExitCode}): " +
                $"{SweepFolder.OneLine(result.StandardError + " " + output)}");
        // --parsable prints "jobid" or "jobid;cluster".
        string jobId = output.Split('\n')[^1].Split(';')[0].Trim();
        File.AppendAllText(Path.Combine(slurmDir, JobsFile),
            $"{jobId}\t{ArraySpec(indices, null)}\t{DateTimeOffset.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n");
        return new SlurmSubmission(jobId, indices, script, arguments);
    }

    /// <summary>The <c>sbatch</c> arguments for the given runs, the script last.</summary>
    public static IReadOnlyList<string> SubmitArguments(SweepFolder folder, IReadOnlyList<int> indices, string scriptPath)
    {
        var s = folder.Definition.Slurm;
        var args = new List<string>
        {
            "--parsable",
            "--array=" + ArraySpec(indices, s.MaxConcurrent),
            "--requeue",
            "--job-name=hertools-" + Path.GetFileName(folder.Directory),
            "--chdir=" + folder.Directory,
            "--output=" + Path.Combine(folder.Directory, SlurmFolder, "%A_%a.out"),
            // A requeued task appends to its log instead of replacing what the earlier attempt wrote.
            "--open-mode=append",
            "--cpus-per-task=" + s.CpusPerTask.ToString(CultureInfo.InvariantCulture),
        };
        if (s.SignalSeconds > 0) args.Add("--signal=B:TERM@" + s.SignalSeconds.ToString(CultureInfo.InvariantCulture));
        if (s.Partition is not null) args.Add("--partition=" + s.Partition);
        if (s.Mem is not null) args.Add("--mem=" + s.Mem);
        if (s.Time is not null) args.Add("--time=" + s.Time);
        args.AddRange(s.SbatchArgs);
        args.Add(scriptPath);
        return args;
    }

    /// <summary>Indices as Slurm's array syntax: <c>0-3,5,7-9</c>, with <c>%N</c> when at most N may run at once.</summary>
    public static string ArraySpec(IReadOnlyList<int> indices, int? maxConcurrent)
    {
        var sorted = indices.Distinct().Order().ToList();
        var parts = new List<string>();
        for (int i = 0; i < sorted.Count;)
        {
            int j = i;
            while (j + 1 < sorted.Count && sorted[j + 1] == sorted[j] + 1) j++;
            parts.Add(i == j ? sorted[i].ToString(CultureInfo.InvariantCulture)
                : $"{sorted[i].ToString(CultureInfo.InvariantCulture)}-{sorted[j].ToString(CultureInfo.InvariantCulture)}");
            i = j + 1;
        }
        return string.Join(",", parts) + (maxConcurrent is int max ? "%" + max.ToString(CultureInfo.InvariantCulture) : "");
    }

    /// <summary>The batch script: her-tools replaces the shell (<c>exec</c>), so the TERM Slurm sends before the time
    /// limit, on <c>scancel</c> or on requeue reaches it exactly once.</summary>
    public static string Script(SweepFolder folder, IReadOnlyList<string> herToolsCommand)
    {
        var sb = new StringBuilder();
        sb.Append("#!/bin/bash\n");
        sb.Append("# A task of the her-tools sweep in this folder: the array index is the run's row in runs.csv.\n");
        sb.Append("# Submitted by her-tools with sbatch options on its command line (see jobs.txt for the job ids).\n");
        sb.Append("# her-tools replaces this shell, so SIGTERM (time limit near, scancel, requeue, preemption) reaches it once:\n");
        sb.Append("# it writes a checkpoint and stops; when the task starts again the run resumes from that checkpoint.\n");
        sb.Append("exec");
        foreach (string part in herToolsCommand) sb.Append(' ').Append(ShellQuote(part));
        sb.Append(" sweep task ").Append(ShellQuote(folder.Directory)).Append(" \"$SLURM_ARRAY_TASK_ID\"\n");
        return sb.ToString();
    }

    /// <summary>The job ids of the sweep's submissions, oldest first (<c>slurm/jobs.txt</c>).</summary>
    public static IReadOnlyList<string> JobIds(SweepFolder folder)
    {
        string path = Path.Combine(folder.Directory, SlurmFolder, JobsFile);
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path).Select(l => l.Split('\t')[0].Trim()).Where(id => id.Length > 0).ToList();
    }

    /// <summary>
    /// What <c>squeue</c> says of the sweep's tasks, by array index (a later submission wins); empty when the sweep was
    /// never submitted; null when <c>squeue</c> does not answer (then run folders alone tell the status). Tasks that
    /// ended are not listed.
    /// </summary>
    public static IReadOnlyDictionary<int, SlurmTaskState>? ReadQueue(SweepFolder folder, CancellationToken cancellationToken = default)
    {
        var tasks = new Dictionary<int, SlurmTaskState>();
        var jobs = JobIds(folder);
        if (jobs.Count == 0) return tasks;
        foreach (string job in jobs)
        {
            ProcessResult result;
            try { result = SchedulerCommands.Run("squeue", ["-h", "-r", "-j", job, "-o", "%F|%K|%i|%T"], TimeSpan.FromSeconds(60), cancellationToken); }
            catch (SweepException) { return null; }
            if (result.ExitCode != 0)
            {
                // A job that left the controller's memory is "invalid" to squeue: none of its tasks is queued.
                if (result.StandardError.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase)) continue;
                return null;
            }
            foreach (string line in result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                string[] f = line.Split('|');
                if (f.Length == 4 && f[0] == job && int.TryParse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int index))
                    tasks[index] = new SlurmTaskState(index, f[2], f[3]);
            }
        }
        return tasks;
    }

    /// <summary>Every run's status from its folder and the queue, and <c>sweep.csv</c> rebuilt. A run recorded as running
    /// whose task is no longer queued is reported stopped, with <c>sacct</c>'s final state when accounting is on.
    /// For a sweep never submitted to Slurm (no <c>slurm/jobs.txt</c>) this is <see cref="SweepFolder.Collect"/>, so a
    /// front end can call it for any sweep folder.</summary>
    public static IReadOnlyList<SweepRunStatus> Status(SweepFolder folder, CancellationToken cancellationToken = default)
    {
        if (JobIds(folder).Count == 0) return folder.Collect(cancellationToken);
        var statuses = folder.ReadStatus(ReadQueue(folder, cancellationToken), cancellationToken)
            .Select(s => s.State == SweepRunState.Stopped && s.Error is { } e && e.StartsWith("its Slurm job", StringComparison.Ordinal)
                && FinalState(SweepRunRecord.TryRead(s.RunDirectory)?.SlurmJobId) is string final ? s with { Error = $"{e} (sacct: {final})" } : s)
            .ToList();
        folder.WriteSummary(statuses);
        return statuses;
    }

    /// <summary>Cancels the sweep's queued and running tasks (<c>scancel</c>). Running tasks get SIGTERM, write a
    /// checkpoint and stop (status <c>stopped</c>); <see cref="Submit"/> later resumes them. Returns the job ids cancelled.</summary>
    /// <exception cref="SweepException"><c>scancel</c> failed.</exception>
    public static IReadOnlyList<string> Stop(SweepFolder folder)
    {
        var queue = ReadQueue(folder) ?? throw new SweepException("squeue does not answer: cannot tell which of the sweep's jobs are queued");
        var live = queue.Values.Select(t => t.JobId.Split('_')[0]).Distinct().ToList();
        foreach (string job in live)
        {
            var result = SchedulerCommands.Run("scancel", [job]);
            if (result.ExitCode != 0) throw new SweepException($"scancel {job} failed (exit code {result.ExitCode}): " +
                $"{SweepFolder.OneLine(result.StandardError)}");
        }
        return live;
    }

    /// <summary>The job's final state from <c>sacct</c>; null when accounting is off or it does not know the job.</summary>
    private static string? FinalState(string? jobId)
    {
        if (jobId is null) return null;
        try
        {
            var result = SchedulerCommands.Run("sacct", ["-n", "-P", "-X", "-j", jobId, "-o", "State"], TimeSpan.FromSeconds(30));
            string state = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";
            return result.ExitCode == 0 && state.Length > 0 ? state : null;
        }
        catch (SweepException) { return null; }
    }

    private static string ShellQuote(string text) => "'" + text.Replace("'", "'\\''") + "'";
}
