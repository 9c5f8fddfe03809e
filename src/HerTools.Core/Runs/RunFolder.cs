using System.Globalization;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;

namespace HerTools.Core.Runs;

/// <summary>
/// The one owner of run folders: their layout (<c>config.yaml</c>, <c>progress.csv</c>, <c>eval.csv</c>,
/// <c>checkpoints/</c>, <c>run.lock</c>), creating a new run exclusively, opening an existing one, the default name,
/// what "already holds a run" means, and setting aside what a start killed before its first checkpoint left.
/// An instance is a claimed folder: it holds the folder's <see cref="RunLock"/> until disposed.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>Where the logs of a start that never reached a checkpoint are moved: <c>partial-&lt;UTC time&gt;/</c>.</summary>
    public const string PartialPrefix = "partial-";

    private readonly RunLock _lock;

    private RunFolder(string path, RunLock runLock, bool created)
    {
        Path = path;
        _lock = runLock;
        Created = created;
    }

    /// <summary>True when this claim made the folder (a new run into a folder that did not exist).</summary>
    public bool Created { get; }

    /// <summary>Full path of the run folder.</summary>
    public string Path { get; }

    public string ConfigPath => RunFiles.ConfigPath(Path);
    public string ProgressPath => RunFiles.ProgressPath(Path);
    public string EvalPath => RunFiles.EvalPath(Path);
    public string CheckpointsPath => RunFiles.CheckpointsPath(Path);

    /// <summary>
    /// The default name of a new run: <c>&lt;stem&gt;-seed&lt;seed&gt;-&lt;yyyyMMdd-HHmmss&gt;</c> in UTC. Runs started in the
    /// same second get <c>-2</c>, <c>-3</c>, ... when they claim their folder (<see cref="CreateDefault"/>).
    /// </summary>
    public static string DefaultName(string stem, ulong seed, DateTimeOffset now) =>
        string.Create(CultureInfo.InvariantCulture, $"{stem}-seed{seed}-{now.UtcDateTime:yyyyMMdd-HHmmss}");

    /// <summary>The first default folder under <paramref name="runsRoot"/> that does not exist yet: what
    /// <see cref="CreateDefault"/> will most likely claim (shown by <c>-WhatIf</c> and before training starts).</summary>
    public static string ProposeDefault(string runsRoot, string stem, ulong seed, DateTimeOffset now) =>
        Candidates(runsRoot, stem, seed, now).First(c => !Directory.Exists(c) && !File.Exists(c));

    /// <summary>The run files <paramref name="directory"/> holds (empty when none): a new run may not go there.</summary>
    public static IReadOnlyList<string> RunFilesIn(string directory)
    {
        if (!Directory.Exists(directory)) return [];
        var found = new List<string>();
        foreach (string name in new[] { RunFiles.Config, RunFiles.Progress, RunFiles.Eval })
            if (File.Exists(System.IO.Path.Combine(directory, name))) found.Add(name);
        string checkpoints = RunFiles.CheckpointsPath(directory);
        if (Directory.Exists(checkpoints) && Directory.EnumerateFileSystemEntries(checkpoints).Any()) found.Add(RunFiles.Checkpoints + "/");
        return found;
    }

    /// <summary>Claims <paramref name="directory"/> for a new run: created if needed, locked, and refused if it holds a run.</summary>
    /// <exception cref="RunFolderInUseException">It already holds a run (or a file of one, such as a <c>config.yaml</c>).</exception>
    /// <exception cref="RunLockedException">Another process is writing it.</exception>
    public static RunFolder CreateNew(string directory)
    {
        directory = Full(directory);
        if (File.Exists(directory)) throw new RunFolderInUseException(directory, ["a file of that name"]);
        // Refused before anything is created, so a refused run leaves no trace.
        if (RunFilesIn(directory) is { Count: > 0 } before) throw new RunFolderInUseException(directory, before);
        bool created = !Directory.Exists(directory);
        Directory.CreateDirectory(directory);
        var runLock = RunLock.Acquire(directory);
        // Checked again under the lock: another process may have started a run there in between.
        if (RunFilesIn(directory) is { Count: > 0 } found)
        {
            runLock.Dispose();
            throw new RunFolderInUseException(directory, found);
        }
        return new RunFolder(directory, runLock, created);
    }

    /// <summary>Claims the first free default folder (see <see cref="DefaultName"/>) under <paramref name="runsRoot"/>:
    /// a folder another run claimed first, in this process or another, is passed over.</summary>
    public static RunFolder CreateDefault(string runsRoot, string stem, ulong seed, DateTimeOffset now)
    {
        foreach (string candidate in Candidates(runsRoot, stem, seed, now))
        {
            if (Directory.Exists(candidate) || File.Exists(candidate)) continue;
            Directory.CreateDirectory(candidate);
            RunLock runLock;
            try { runLock = RunLock.Acquire(candidate); }
            catch (RunLockedException) { continue; } // created by a run that started at the same moment
            if (RunFilesIn(candidate).Count > 0)
            {
                runLock.Dispose();
                continue;
            }
            return new RunFolder(candidate, runLock, created: true);
        }
        throw new InvalidOperationException("unreachable: the candidates never end");
    }

    /// <summary>Claims an existing run folder to continue it.</summary>
    /// <exception cref="RunLockedException">Another process is writing it.</exception>
    public static RunFolder OpenExisting(string directory)
    {
        directory = Full(directory);
        if (!Directory.Exists(directory)) throw new HerToolsException($"{directory}: the run folder does not exist");
        return new RunFolder(directory, RunLock.Acquire(directory), created: false);
    }

    /// <summary>
    /// For a run that never reached a regular checkpoint (killed early, with <c>checkpoint_freq: 0</c> most of its life):
    /// moves its logs and any <c>best</c> checkpoint into <c>partial-&lt;UTC time&gt;/</c>, so the run starts again from
    /// the start and the rows of the lost attempt are kept apart, never mixed with the new ones. Returns that folder,
    /// or null when there was nothing to set aside.
    /// </summary>
    public string? SetAsidePartialStart(DateTimeOffset now)
    {
        var moves = new List<(string From, string Name)>();
        foreach (string name in new[] { RunFiles.Progress, RunFiles.Eval })
            if (File.Exists(System.IO.Path.Combine(Path, name))) moves.Add((System.IO.Path.Combine(Path, name), name));
        string best = System.IO.Path.Combine(CheckpointsPath, CheckpointStore.BestName);
        if (Directory.Exists(best)) moves.Add((best, CheckpointStore.BestName));
        if (moves.Count == 0) return null;

        string stamp = now.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string aside = System.IO.Path.Combine(Path, PartialPrefix + stamp);
        for (int n = 2; Directory.Exists(aside); n++)
            aside = System.IO.Path.Combine(Path, string.Create(CultureInfo.InvariantCulture, $"{PartialPrefix}{stamp}-{n}"));
        Directory.CreateDirectory(aside);
        foreach (var (from, name) in moves)
        {
            string to = System.IO.Path.Combine(aside, name);
            if (Directory.Exists(from)) Directory.Move(from, to);
            else File.Move(from, to);
        }
        Checkpoints.DirectorySync.Flush(aside);
        Checkpoints.DirectorySync.Flush(Path);
        return aside;
    }

    /// <summary>Replaces <c>config.yaml</c> whole (written, forced to disk, renamed): a crash leaves the old or the new one.</summary>
    public void WriteConfig(string yaml) => AtomicFile.WriteAllText(ConfigPath, yaml);

    /// <summary>Releases the folder's lock.</summary>
    public void Dispose() => _lock.Dispose();

    /// <summary>
    /// Releases the folder and removes it when this claim created it and a failed start left nothing in it but the lock
    /// file: a run refused as it was built leaves no empty folder behind. Anything else in it stays.
    /// </summary>
    public void DisposeRemovingIfUnused()
    {
        bool unused = Created && Directory.EnumerateFileSystemEntries(Path).All(e => System.IO.Path.GetFileName(e) == RunLock.FileName);
        if (unused) File.Delete(System.IO.Path.Combine(Path, RunLock.FileName)); // still ours: deleted under the lock
        _lock.Dispose();
        if (!unused) return;
        try { Directory.Delete(Path); }
        catch (IOException) { } // someone put something there meanwhile: it stays
    }

    private static IEnumerable<string> Candidates(string runsRoot, string stem, ulong seed, DateTimeOffset now)
    {
        string first = System.IO.Path.Combine(Full(runsRoot), DefaultName(stem, seed, now));
        yield return first;
        for (int n = 2; ; n++) yield return string.Create(CultureInfo.InvariantCulture, $"{first}-{n}");
    }

    private static string Full(string path) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));
}
