using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Metrics;

namespace HerTools.Core.Runs;

/// <summary>
/// What a front end reads of a run folder, running or finished: its logs, its checkpoints, and which run a path means.
/// The front ends go through here rather than through <see cref="CsvLog{TRow}"/>, <see cref="CheckpointStore"/> or
/// <see cref="RunFiles"/>, so the layout of a run folder and the rules for reading it safely while a run writes it
/// (torn last lines ignored, checkpoints being saved not listed) have one owner.
/// </summary>
public static class RunRecords
{
    /// <summary>The file names of a run's logs, for messages.</summary>
    public const string ProgressLog = RunFiles.Progress;

    /// <inheritdoc cref="ProgressLog"/>
    public const string EvalLog = RunFiles.Eval;

    /// <summary>
    /// Every complete <c>progress.csv</c> row (a torn last line is left out); none when the run has not logged yet,
    /// unless <paramref name="required"/>, when a missing log is a <see cref="FileNotFoundException"/> naming the
    /// folder (not a run folder, or a run that has not logged yet) rather than an empty table.
    /// </summary>
    /// <exception cref="MetricsFormatException">The file is not a progress log of this schema.</exception>
    public static IReadOnlyList<ProgressRow> Progress(string runDirectory, bool required = false) =>
        CsvLog<ProgressRow>.ReadAll(LogPath(runDirectory, ProgressLog, required));

    /// <summary>Every complete <c>eval.csv</c> row, as <see cref="Progress"/> reads its log.</summary>
    /// <exception cref="MetricsFormatException">The file is not an evaluation log of this schema.</exception>
    public static IReadOnlyList<EvalRow> Evaluations(string runDirectory, bool required = false) =>
        CsvLog<EvalRow>.ReadAll(LogPath(runDirectory, EvalLog, required));

    /// <summary>The config the run trains with, as its <c>config.yaml</c> has it.</summary>
    /// <exception cref="ConfigException">The file is missing or not a valid config.</exception>
    public static RunConfig Config(string runDirectory) => ConfigLoader.LoadFile(RunFiles.ConfigPath(runDirectory));

    /// <summary>The path of one of the run's logs (<see cref="ProgressLog"/> or <see cref="EvalLog"/>), for messages.</summary>
    public static string LogPath(string runDirectory, string log) => Path.Combine(runDirectory, log);

    private static string LogPath(string runDirectory, string log, bool required)
    {
        string path = LogPath(runDirectory, log);
        if (required && !File.Exists(path))
            throw new FileNotFoundException($"'{runDirectory}' has no {log}: it is not a run folder, or its run has not logged yet.", path);
        return path;
    }

    /// <summary>The run's id as its logs name it (<c>progress.csv</c>'s <c>run_id</c>), else the folder's name.</summary>
    public static string RunId(string runDirectory)
    {
        var rows = Progress(runDirectory);
        string? logged = rows.Count > 0 ? rows[0].RunId : null;
        return string.IsNullOrEmpty(logged) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(runDirectory)) : logged;
    }

    /// <summary>
    /// The run a folder stands for: a checkpoint folder (<c>RUN/checkpoints/NAME</c>, with no log of its own) means
    /// its run, so a checkpoint piped or typed where a run is expected still means the run it belongs to.
    /// </summary>
    public static string RunOf(string directory)
    {
        string resolved = Path.TrimEndingDirectorySeparator(directory);
        string? parent = Path.GetDirectoryName(resolved);
        if (parent is not null && Path.GetFileName(parent) == RunFiles.Checkpoints && !File.Exists(RunFiles.ProgressPath(resolved)))
            return Path.GetDirectoryName(parent)!;
        return resolved;
    }

    /// <inheritdoc cref="CheckpointStore.List"/>
    public static IReadOnlyList<CheckpointInfo> Checkpoints(string runDirectory) => CheckpointStore.List(runDirectory);

    /// <inheritdoc cref="CheckpointStore.Latest"/>
    public static CheckpointInfo? LatestCheckpoint(string runDirectory) => CheckpointStore.Latest(runDirectory);

    /// <inheritdoc cref="CheckpointStore.Best"/>
    public static CheckpointInfo? BestCheckpoint(string runDirectory) => CheckpointStore.Best(runDirectory);

    /// <inheritdoc cref="CheckpointStore.ResolveCheckpointPath"/>
    public static string ResolveCheckpoint(string pathOrRun) => CheckpointStore.ResolveCheckpointPath(pathOrRun);
}
