using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Core.Sweeps;

/// <summary>
/// A sweep on disk: <c>sweep.yaml</c> (the resolved definition), <c>base.yaml</c> (a copy of the base config file or
/// of the preset's YAML: what the runs start from, whatever later edits or upgrades change), <c>runs.csv</c> (one row per run: index, run id, the searched
/// keys, seed), <c>runs/&lt;run_id&gt;/</c>
/// (ordinary run folders, each with a <c>status.json</c> once started) and <c>sweep.csv</c>, the summary
/// <see cref="Collect"/> rebuilds from the run folders at any time. Any process may read or collect while runs go:
/// logs are read without their torn last line and <c>sweep.csv</c> is replaced by a rename.
/// </summary>
public sealed class SweepFolder
{
    public const string DefinitionFile = "sweep.yaml";
    public const string BaseConfigFile = "base.yaml";
    public const string RunsFile = "runs.csv";
    public const string SummaryFile = "sweep.csv";
    public const string RunsFolder = "runs";

    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture) { NewLine = "\n" };

    private SweepFolder(string directory, SweepDefinition definition, IReadOnlyList<SweepRun> runs)
    {
        Directory = directory;
        Definition = definition;
        Runs = runs;
    }

    /// <summary>Full path of the sweep folder.</summary>
    public string Directory { get; }
    /// <summary>The definition as <c>sweep.yaml</c> holds it (its base config is <c>base.yaml</c> in the folder).</summary>
    public SweepDefinition Definition { get; }
    /// <summary>The runs of <c>runs.csv</c>, by index.</summary>
    public IReadOnlyList<SweepRun> Runs { get; }

    public string DefinitionPath => Path.Combine(Directory, DefinitionFile);
    public string RunsPath => Path.Combine(Directory, RunsFile);
    public string SummaryPath => Path.Combine(Directory, SummaryFile);

    /// <summary>
    /// Lays out a sweep folder for <paramref name="definition"/>: <c>sweep.yaml</c>, <c>base.yaml</c> (the base config or
    /// the preset, copied), <c>runs.csv</c> and
    /// <c>runs/</c>. Every run's config is loaded once here; a run whose values its key refuses is marked failed
    /// (its <c>status.json</c> names the override) and the others are unaffected. A folder that already holds the same
    /// sweep (same base, overrides and runs) is opened as it is, its run folders kept, with the new backend settings;
    /// one holding another sweep, or other files, is refused.
    /// </summary>
    /// <exception cref="SweepException">The folder holds something else.</exception>
    public static SweepFolder Create(SweepDefinition definition, string directory)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var runs = definition.Expand();
        // A preset is copied like a config file: a sweep resumed after an upgrade that changed the preset goes on
        // training what it started with (its runs' checkpoints would refuse anything else).
        // A copy kept in the sweep folder: the plug-in paths it names relative to where it was are made absolute.
        string baseText = definition.Preset is not null ? Presets.Find(definition.Preset)!.Yaml
            : ConfigLoader.WithAbsolutePaths(File.ReadAllText(definition.ConfigPath!), Path.GetDirectoryName(definition.ConfigPath!)!);
        var resolved = definition with { Preset = null, ConfigPath = Path.Combine(directory, BaseConfigFile) };
        string resolvedYaml = (definition.Preset is null ? "" : $"# {BaseConfigFile}: the '{definition.Preset}' preset as shipped when this sweep was " +
            $"created.\n")
            + resolved.ToYaml(BaseConfigFile);

        if (File.Exists(Path.Combine(directory, DefinitionFile)))
        {
            var existing = Open(directory);
            if (existing.Definition.Preset is not null)
            {
                // A folder from before presets were copied: it can only go on with the preset of this version.
                resolvedYaml = definition.ToYaml();
            }
            bool sameBase = existing.Definition.Preset is not null
                ? existing.Definition.Preset == definition.Preset
                : File.ReadAllText(existing.Definition.ConfigPath!) == baseText;
            if (!sameBase && definition.Preset is not null && existing.Definition.Preset is null)
                throw new SweepException($"{directory} holds a sweep of the '{definition.Preset}' preset as it was shipped when the sweep was " +
                    $"created ({BaseConfigFile}), and this HerTools ships a different one; 'sweep resume' goes on with the sweep's copy, " +
                    "another --output folder starts one with the new preset");
            if (!sameBase || !existing.Definition.Set.SequenceEqual(definition.Set) || !SameRuns(existing.Runs, runs)
                || existing.Definition.Search?.ToYaml() != definition.Search?.ToYaml())
                throw new SweepException($"{directory} already holds a different sweep (its {DefinitionFile} and {RunsFile}, or its search, " +
                    "differ); give another --output folder");
            WriteAtomically(Path.Combine(directory, DefinitionFile), resolvedYaml);
            return Open(directory);
        }
        if (System.IO.Directory.Exists(directory) && System.IO.Directory.EnumerateFileSystemEntries(directory).Any())
            throw new SweepException($"{directory} is not empty and holds no {DefinitionFile}; a sweep needs a new or empty folder");

        System.IO.Directory.CreateDirectory(Path.Combine(directory, RunsFolder));
        WriteAtomically(Path.Combine(directory, BaseConfigFile), baseText);
        WriteRunsCsv(Path.Combine(directory, RunsFile), definition.SearchKeys, runs);
        // sweep.yaml last: its presence marks a complete folder.
        WriteAtomically(Path.Combine(directory, DefinitionFile), resolvedYaml);

        var folder = Open(directory);
        foreach (var run in folder.Runs)
        {
            try { folder.Definition.LoadRunConfig(run); }
            catch (ConfigException e)
            {
                var now = DateTimeOffset.UtcNow;
                new SweepRunRecord { State = SweepRunState.Failed, Error = e.Message, StartedUtc = now, EndedUtc = now }.Write(folder.RunDirectory(run));
            }
        }
        folder.Collect();
        return folder;
    }

    /// <summary>Opens an existing sweep folder.</summary>
    /// <exception cref="SweepException">No <c>sweep.yaml</c> or <c>runs.csv</c>, or they disagree.</exception>
    /// <exception cref="ConfigException"><c>sweep.yaml</c> is not a valid sweep file.</exception>
    public static SweepFolder Open(string directory)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        string definitionPath = Path.Combine(directory, DefinitionFile);
        if (!File.Exists(definitionPath)) throw new SweepException($"{directory}: not a sweep folder (no {DefinitionFile})");
        var definition = SweepLoader.LoadFile(definitionPath);
        var runs = ReadRunsCsv(Path.Combine(directory, RunsFile), definition.SearchKeys);
        return new SweepFolder(directory, definition, runs);
    }

    /// <summary>The run of <c>runs.csv</c> at <paramref name="index"/>.</summary>
    /// <exception cref="SweepException">No such index.</exception>
    public SweepRun Run(int index) => index >= 0 && index < Runs.Count ? Runs[index]
        : throw new SweepException($"{Directory}: no run {index}; {RunsFile} has runs 0 to {Runs.Count - 1}");

    /// <summary>Full path of a run's folder: <c>runs/&lt;run_id&gt;</c>.</summary>
    public string RunDirectory(SweepRun run) => Path.Combine(Directory, RunsFolder, run.RunId);

    /// <summary>Reads every run's status from its folder. <paramref name="queue"/> is what the scheduler says of
    /// the sweep's tasks, by array index (null: unknown); a run recorded as running whose process or task is gone is
    /// reported <see cref="SweepRunState.Stopped"/>.</summary>
    public IReadOnlyList<SweepRunStatus> ReadStatus(IReadOnlyDictionary<int, SlurmTaskState>? queue = null,
        CancellationToken cancellationToken = default)
    {
        var statuses = Runs.Select(r =>
        {
            cancellationToken.ThrowIfCancellationRequested(); // a sweep of many long logs takes a while: stop between runs
            return ReadRunStatus(r, queue);
        }).ToList();
        return Definition.Search is null ? statuses : SweepSearch.Annotate(this, statuses);
    }

    /// <summary>Reads one run's status from its folder (see <see cref="ReadStatus"/>).</summary>
    public SweepRunStatus ReadRunStatus(SweepRun run, IReadOnlyDictionary<int, SlurmTaskState>? queue = null)
    {
        string dir = RunDirectory(run);
        var task = queue?.GetValueOrDefault(run.Index);
        var status = new SweepRunStatus
        {
            Index = run.Index, RunId = run.RunId, RunDirectory = dir, Point = run.Point, Seed = run.Seed,
            State = SweepRunState.Pending, SlurmJobId = task?.JobId, SchedulerState = task?.State,
        };
        if (!System.IO.Directory.Exists(dir)) return status;

        SweepRunRecord? record;
        string? unreadable = null;
        try { record = SweepRunRecord.Read(dir); }
        catch (SweepException e)
        {
            // Only this run is affected: it reads as stopped (a resume starts or continues it), and says why.
            record = new SweepRunRecord { State = SweepRunState.Stopped };
            unreadable = e.Message;
        }
        var state = record?.State ?? SweepRunState.Pending;
        string? error = unreadable ?? record?.Error;
        if (state == SweepRunState.Running && record is not null && Vanished(record, task, queue is not null) is string gone)
        {
            state = SweepRunState.Stopped;
            error = gone;
        }

        var problems = new List<string>();
        List<ProgressRow> progress = [];
        List<EvalRow> evals = [];
        CheckpointInfo? latest = null;
        try { progress = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(dir)); }
        catch (MetricsFormatException e) { problems.Add(e.Message); }
        try { evals = CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(dir)); }
        catch (MetricsFormatException e) { problems.Add(e.Message); }
        try { latest = CheckpointStore.Latest(dir); }
        catch (CheckpointException e) { problems.Add(e.Message); }
        if (problems.Count > 0) error = string.Join("; ", error is null ? problems : [error, .. problems]);

        long timesteps = Math.Max(Math.Max(progress.LastOrDefault()?.Timesteps ?? 0, evals.LastOrDefault()?.Timesteps ?? 0), latest?.Step ?? 0);
        return status with
        {
            State = state,
            Timesteps = timesteps,
            FinalEvalSuccessRate = evals.Count > 0 ? evals[^1].SuccessRate : null,
            BestEvalSuccessRate = evals.Count > 0 ? evals.Max(e => e.SuccessRate) : null,
            StepsToThreshold = evals.FirstOrDefault(e => e.SuccessRate >= Definition.SuccessThreshold)?.Timesteps,
            WallTimeSeconds = progress.Count > 0 ? progress[^1].WallTimeSeconds : null,
            LastCheckpoint = latest?.Path,
            Error = error is null ? null : OneLine(error),
        };
    }

    /// <summary>
    /// Rebuilds <c>sweep.csv</c> from the run folders and returns the statuses it holds. Columns: <c>index</c>,
    /// <c>run_id</c>, one per searched key, <c>seed</c>, <c>status</c>, <c>timesteps</c>, <c>final_eval_success_rate</c>,
    /// <c>best_eval_success_rate</c>, <c>steps_to_threshold</c>, <c>wall_time_s</c>, <c>last_checkpoint</c> (relative to
    /// the sweep folder), <c>error</c>. The same folder gives the same bytes; the file is replaced by a rename.
    /// </summary>
    public IReadOnlyList<SweepRunStatus> Collect(CancellationToken cancellationToken = default)
    {
        var statuses = ReadStatus(cancellationToken: cancellationToken);
        WriteSummary(statuses);
        return statuses;
    }

    /// <summary>Writes <c>sweep.csv</c> from statuses already read (see <see cref="Collect"/> for its columns), and
    /// <c>configurations.csv</c>, the results across seeds (<see cref="SweepConfigurations"/>).</summary>
    public void WriteSummary(IReadOnlyList<SweepRunStatus> statuses)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Csv))
        {
            WriteRunHeader(csv, Definition.SearchKeys);
            foreach (string column in StatusColumns) csv.WriteField(column);
            bool search = Definition.Search is not null;
            if (search) foreach (string column in SearchColumns) csv.WriteField(column);
            csv.NextRecord();
            foreach (var s in statuses)
            {
                WriteRunFields(csv, s.Index, s.RunId, s.Point, s.Seed);
                csv.WriteField(StateName(s.State));
                csv.WriteField(s.Timesteps.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(Number(s.FinalEvalSuccessRate));
                csv.WriteField(Number(s.BestEvalSuccessRate));
                csv.WriteField(s.StepsToThreshold?.ToString(CultureInfo.InvariantCulture) ?? "");
                csv.WriteField(Number(s.WallTimeSeconds));
                csv.WriteField(s.LastCheckpoint is null ? "" : Path.GetRelativePath(Directory, s.LastCheckpoint).Replace('\\', '/'));
                csv.WriteField(s.Error ?? "");
                if (search)
                {
                    csv.WriteField(s.Rung?.ToString(CultureInfo.InvariantCulture) ?? "");
                    csv.WriteField(s.RungBudget?.ToString(CultureInfo.InvariantCulture) ?? "");
                    csv.WriteField(Number(s.Score));
                    csv.WriteField(s.Decision is { } d ? d.ToString().ToLowerInvariant() : "");
                }
                csv.NextRecord();
            }
        }
        WriteAtomically(SummaryPath, text.ToString());
        SweepConfigurations.Write(this, SweepConfigurations.Summarize(this, statuses));
    }

    // sweep.csv's columns after those it shares with runs.csv.
    private static string[] StatusColumns =>
        ["status", "timesteps", "final_eval_success_rate", "best_eval_success_rate", "steps_to_threshold", "wall_time_s", "last_checkpoint", "error"];

    // A search's columns, last (see SweepSearch).
    private static string[] SearchColumns => ["rung", "rung_budget", "score", "decision"];

    // The columns that name a run, first in runs.csv and sweep.csv alike: index, run_id, the searched keys, seed.
    private static void WriteRunHeader(CsvWriter csv, IReadOnlyList<string> keys)
    {
        csv.WriteField("index"); csv.WriteField("run_id");
        foreach (string key in keys) csv.WriteField(key);
        csv.WriteField("seed");
    }

    private static void WriteRunFields(CsvWriter csv, int index, string runId, IReadOnlyList<SweepOverride> point, ulong seed)
    {
        csv.WriteField(index.ToString(CultureInfo.InvariantCulture));
        csv.WriteField(runId);
        foreach (var o in point) csv.WriteField(o.Value);
        csv.WriteField(seed.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>The lower-case name a state has in <c>sweep.csv</c> and <c>status.json</c>.</summary>
    public static string StateName(SweepRunState state) => state.ToString().ToLowerInvariant();

    internal static void WriteAtomically(string path, string contents) => AtomicFile.WriteAllText(path, contents);

    internal static string OneLine(string text) => string.Join(" ", text.Split(['\r', '\n'],
        StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>Why a run recorded as running is not: its process (this host) or its Slurm task is gone. Null while it may still run.</summary>
    internal static string? Vanished(SweepRunRecord record, SlurmTaskState? task, bool queueKnown)
    {
        if (record.SlurmJobId is not null)
        {
            if (!queueKnown || task is not null) return null;
            return $"its Slurm job {record.SlurmJobId} ended without recording a result";
        }
        if (record.Pid is not int pid || record.Host != Environment.MachineName) return null;
        return ProcessAlive(pid, record.StartedUtc) ? null : $"its process {pid} ended without recording a result";
    }

    private static bool ProcessAlive(int pid, DateTimeOffset? started)
    {
        if (pid == Environment.ProcessId) return true;
        try
        {
            using var process = Process.GetProcessById(pid);
            if (process.HasExited) return false;
            // A pid reused by a later process is not the run's.
            return started is null || process.StartTime.ToUniversalTime() <= started.Value.UtcDateTime.AddSeconds(5);
        }
        catch (ArgumentException) { return false; }
        catch (InvalidOperationException) { return false; }
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";

    private static bool SameRuns(IReadOnlyList<SweepRun> a, IReadOnlyList<SweepRun> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.RunId == p.Second.RunId && p.First.Seed == p.Second.Seed
            && p.First.Point.SequenceEqual(p.Second.Point));

    private static void WriteRunsCsv(string path, IReadOnlyList<string> keys, IReadOnlyList<SweepRun> runs)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, Csv))
        {
            WriteRunHeader(csv, keys);
            csv.NextRecord();
            foreach (var run in runs)
            {
                WriteRunFields(csv, run.Index, run.RunId, run.Point, run.Seed);
                csv.NextRecord();
            }
        }
        WriteAtomically(path, text.ToString());
    }

    private static List<SweepRun> ReadRunsCsv(string path, IReadOnlyList<string> keys)
    {
        if (!File.Exists(path)) throw new SweepException($"{path}: missing; the sweep folder is incomplete");
        using var csv = new CsvReader(new StringReader(File.ReadAllText(path)), Csv);
        if (!csv.Read() || !csv.ReadHeader()) throw new SweepException($"{path}: empty");
        string[] expected = ["index", "run_id", .. keys, "seed"];
        if (!csv.HeaderRecord!.SequenceEqual(expected))
            throw new SweepException($"{path}: its columns '{string.Join(",", csv.HeaderRecord!)}' do not match {DefinitionFile} " +
                $"('{string.Join(",", expected)}')");
        var runs = new List<SweepRun>();
        while (csv.Read())
        {
            if (!int.TryParse(csv.GetField(0), NumberStyles.Integer, CultureInfo.InvariantCulture, out int index) || index != runs.Count
                || !ulong.TryParse(csv.GetField(keys.Count + 2), NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong seed))
                throw new SweepException($"{path}: row {runs.Count + 2} is malformed");
            string runId = csv.GetField(1) ?? "";
            if (runId.Length == 0 || runId.IndexOfAny(['/', '\\']) >= 0 || runId is "." or "..")
                throw new SweepException($"{path}: row {runs.Count + 2} has no usable run id");
            var point = keys.Select((k, i) => new SweepOverride(k, csv.GetField(i + 2) ?? "")).ToList();
            runs.Add(new SweepRun(index, runId, point, seed));
        }
        return runs;
    }
}
