using HerTools.Core.Metrics;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// Stores, lists, verifies and prunes the checkpoints of one run, in <c>&lt;run&gt;/checkpoints/&lt;name&gt;/</c>
/// (<c>step_&lt;N&gt;</c> for regular saves, <c>best</c> for the best by evaluation). What goes into a checkpoint is
/// the trainer's business; this class makes sure that whatever is visible under a checkpoint name is whole:
/// files are written into a hidden temporary folder, forced to disk, described last by <c>checkpoint.json</c>
/// (length and SHA-256 of each), and the folder is renamed into place in one step. A crash at any moment leaves
/// the previous checkpoints or the new one, never a half-written folder that looks complete.
/// One process saves into a run at a time; an instance is not thread-safe.
/// </summary>
public sealed class CheckpointStore
{
    /// <summary>The file that makes a folder a checkpoint; written last.</summary>
    public const string ManifestFileName = "checkpoint.json";

    /// <summary>The name of the best-by-evaluation checkpoint, which retention never removes.</summary>
    public const string BestName = "best";

    /// <summary>The <c>format_version</c> this code writes and the only one it reads.</summary>
    public const int FormatVersion = 1;

    /// <summary>A store for the run in <paramref name="runDirectory"/>; nothing is created until the first save.</summary>
    public CheckpointStore(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        RunDirectory = Path.GetFullPath(runDirectory);
        CheckpointsDirectory = RunFiles.CheckpointsPath(RunDirectory);
    }

    public string RunDirectory { get; }

    /// <summary><c>&lt;run&gt;/checkpoints</c>.</summary>
    public string CheckpointsDirectory { get; }

    /// <summary>The folder name of the regular checkpoint taken at <paramref name="step"/>: <c>step_&lt;step&gt;</c>.</summary>
    public static string StepName(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return $"step_{step}";
    }

    /// <summary>
    /// Saves a checkpoint under <paramref name="name"/> and returns its folder. The files are written in the order
    /// given, each flushed to disk; <c>checkpoint.json</c> follows with <paramref name="summary"/> and each file's
    /// length and SHA-256; then the folder is renamed into place. An existing checkpoint of the same name (such as
    /// <c>best</c>) is set aside, replaced, and only then deleted. Leftovers of an interrupted earlier save are
    /// cleaned up first. If a <see cref="CheckpointFile.Write"/> throws, nothing becomes visible, the partial folder
    /// is removed and the exception propagates unchanged.
    /// </summary>
    /// <param name="name"><c>step_&lt;N&gt;</c> (with N equal to <c>summary.Step</c>), <c>best</c>, or another plain
    /// folder name (letters, digits, <c>_ . -</c>, not starting with a dot).</param>
    /// <param name="summary">What <c>checkpoint.json</c> records besides the file list.</param>
    /// <param name="files">The files, each a plain name and the code that writes it; names unique regardless of case.</param>
    /// <exception cref="ArgumentException">A bad name, a summary out of range, or duplicate or unsafe file names.</exception>
    /// <exception cref="IOException">The disk refused a write, a flush or a rename.</exception>
    public string Save(string name, CheckpointSummary summary, IReadOnlyList<CheckpointFile> files)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(files);
        CheckName(name, summary);
        CheckSummary(summary);
        CheckFiles(files);

        Directory.CreateDirectory(CheckpointsDirectory);
        CleanUpInterruptedWork();

        string temp = Path.Combine(CheckpointsDirectory, CheckpointNames.Hidden(CheckpointNames.TempPrefix, name));
        Directory.CreateDirectory(temp);
        try
        {
            var entries = new List<CheckpointManifestFile>(files.Count);
            foreach (var file in files)
            {
                entries.Add(WriteFile(temp, file));
                FaultInjection.At(FaultPoint.CheckpointFile, Path.Combine(temp, file.FileName));
            }
            // Last, so a folder with a checkpoint.json has every file it lists in full.
            CheckpointManifest.Create(summary, entries, DateTimeOffset.UtcNow).WriteTo(Path.Combine(temp, ManifestFileName));
            FaultInjection.At(FaultPoint.CheckpointManifest, Path.Combine(temp, ManifestFileName));
            DirectorySync.Flush(temp);
            FaultInjection.At(FaultPoint.CheckpointRename, temp);
            return MoveIntoPlace(temp, name);
        }
        catch
        {
            DeleteLeftover(temp);
            throw;
        }
    }

    /// <summary>
    /// Deletes all but the newest <paramref name="keepLast"/> complete <c>step_&lt;N&gt;</c> checkpoints (newest by N).
    /// <c>best</c> and any other name are never touched. Each doomed folder is first renamed out of sight, so a
    /// crash during the deletion cannot leave a <c>step_&lt;N&gt;</c> folder with files missing.
    /// </summary>
    public void ApplyRetention(int keepLast)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(keepLast, 1);
        if (!Directory.Exists(CheckpointsDirectory)) return;

        var steps = new List<(string Path, string Name, long Step)>();
        foreach (string dir in Directory.GetDirectories(CheckpointsDirectory))
        {
            string folder = Path.GetFileName(dir);
            if (CheckpointNames.TryParseStep(folder, out long step) && File.Exists(Path.Combine(dir, ManifestFileName)))
                steps.Add((dir, folder, step));
        }
        foreach (var old in steps.OrderByDescending(s => s.Step).Skip(keepLast))
        {
            string doomed = Path.Combine(CheckpointsDirectory, CheckpointNames.Hidden(CheckpointNames.DeletingPrefix, old.Name));
            Directory.Move(old.Path, doomed);
            FaultInjection.At(FaultPoint.RetentionDelete, doomed);
            Directory.Delete(doomed, recursive: true);
        }
    }

    /// <summary>
    /// The complete checkpoints of a run (folders with a <c>checkpoint.json</c>), newest first by step; at equal
    /// steps a regular checkpoint comes before <c>best</c>. Folders of saves in progress or interrupted are not listed.
    /// An empty list when the run has no <c>checkpoints/</c> folder.
    /// </summary>
    /// <exception cref="HerToolsException">The run folder does not exist.</exception>
    /// <exception cref="CheckpointException">A listed checkpoint's <c>checkpoint.json</c> is unreadable or of an
    /// unknown format version (rather than silently skipping a newer checkpoint).</exception>
    public static IReadOnlyList<CheckpointInfo> List(string runDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runDirectory);
        string run = Path.GetFullPath(runDirectory);
        if (!Directory.Exists(run))
            throw new HerToolsException($"{run}: the run folder does not exist");
        string checkpoints = RunFiles.CheckpointsPath(run);
        if (!Directory.Exists(checkpoints)) return [];

        var infos = new List<CheckpointInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var setAside = new List<(string Path, string Name)>();
        foreach (string dir in Directory.GetDirectories(checkpoints))
        {
            string folder = Path.GetFileName(dir);
            if (folder.StartsWith('.'))
            {
                if (CheckpointNames.HiddenOriginal(folder, CheckpointNames.AsidePrefix) is string original)
                    setAside.Add((dir, original));
                continue;
            }
            names.Add(folder);
            if (File.Exists(Path.Combine(dir, ManifestFileName)))
                infos.Add(InfoFrom(dir, folder, CheckpointManifest.Read(dir)));
        }
        // A crash between "set the old one aside" and "rename the new one into place" leaves the name free and the
        // old checkpoint whole under .old-<name>-<guid>; show it under its name until the next save restores it.
        foreach (var (dir, original) in setAside)
        {
            if (!names.Contains(original) && File.Exists(Path.Combine(dir, ManifestFileName)))
            {
                names.Add(original);
                infos.Add(InfoFrom(dir, original, CheckpointManifest.Read(dir)));
            }
        }
        return infos
            .OrderByDescending(i => i.Step)
            .ThenBy(i => i.IsBest)
            .ThenBy(i => i.Name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Reads a checkpoint folder's <c>checkpoint.json</c> without verifying the files it lists.</summary>
    /// <exception cref="CheckpointException">No such folder, no <c>checkpoint.json</c>, or an unreadable or foreign one.</exception>
    public static CheckpointInfo ReadInfo(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        string path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointPath));
        return InfoFrom(path, Path.GetFileName(path), CheckpointManifest.Read(path));
    }

    /// <summary>The regular checkpoint with the highest step (<c>best</c> excluded), or null if the run has none.</summary>
    public static CheckpointInfo? Latest(string runDirectory) => List(runDirectory).FirstOrDefault(i => !i.IsBest);

    /// <summary>The <c>best</c> checkpoint, or null if the run has none.</summary>
    public static CheckpointInfo? Best(string runDirectory) => List(runDirectory).FirstOrDefault(i => i.IsBest);

    /// <summary>
    /// Opens a checkpoint for loading after checking its format version and the presence, length and SHA-256 of
    /// every file <c>checkpoint.json</c> lists (this reads every byte once).
    /// </summary>
    /// <exception cref="CheckpointException">Names the file that is missing, truncated, corrupt or of a foreign
    /// format, or the folder that is not a checkpoint.</exception>
    public static CheckpointReader Open(string checkpointPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpointPath);
        return CheckpointReader.OpenVerified(Path.TrimEndingDirectorySeparator(Path.GetFullPath(checkpointPath)));
    }

    /// <summary>
    /// Turns what a user typed into a checkpoint folder: a checkpoint folder stays itself, a <c>checkpoint.json</c>
    /// path gives its folder, a run folder (or its <c>checkpoints/</c> folder) gives its latest regular checkpoint.
    /// Returns a full path; does not verify the files.
    /// </summary>
    /// <exception cref="CheckpointException">The path does not exist, is none of these, or is a run without checkpoints.</exception>
    public static string ResolveCheckpointPath(string pathOrRun)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrRun);
        string full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(pathOrRun));
        if (File.Exists(full))
        {
            if (Path.GetFileName(full) == ManifestFileName) return Path.GetDirectoryName(full)!;
            throw new CheckpointException(full, null, CheckpointProblem.NotACheckpoint,
                $"a file, not a checkpoint folder, a {ManifestFileName} or a run folder");
        }
        if (!Directory.Exists(full))
            throw new CheckpointException(full, null, CheckpointProblem.NotACheckpoint,
                "no such checkpoint folder, checkpoint.json or run folder");
        if (File.Exists(Path.Combine(full, ManifestFileName))) return full;

        string? run = Directory.Exists(RunFiles.CheckpointsPath(full)) ? full
            : Path.GetFileName(full) == RunFiles.Checkpoints ? Path.GetDirectoryName(full) : null;
        if (run is not null)
            return Latest(run)?.Path ?? throw new CheckpointException(full, null, CheckpointProblem.NotACheckpoint,
                $"the run has no complete checkpoint in {RunFiles.Checkpoints}/");
        if (Path.GetFileName(Path.GetDirectoryName(full)) == RunFiles.Checkpoints)
            throw new CheckpointException(full, ManifestFileName, CheckpointProblem.NotACheckpoint,
                $"not a complete checkpoint: it has no {ManifestFileName}");
        throw new CheckpointException(full, null, CheckpointProblem.NotACheckpoint,
            $"neither a checkpoint folder (no {ManifestFileName}) nor a run folder (no {RunFiles.Checkpoints}/)");
    }

    internal static CheckpointInfo InfoFrom(string path, string name, CheckpointManifest manifest) =>
        new(path, name, manifest.RunId, manifest.Step, manifest.Episode, manifest.EvalSuccessRate, manifest.BestEvalSuccessRate,
            manifest.EnvId, manifest.Algorithm, manifest.CreatedUtc.ToUniversalTime(), IsBest: name == BestName,
            manifest.HasReplayBuffer, manifest.FormatVersion)
        {
            TotalBytes = manifest.TotalBytes,
        };

    private static CheckpointManifestFile WriteFile(string folder, CheckpointFile file)
    {
        string path = Path.Combine(folder, file.FileName);
        // The file stream buffers in 1 MiB blocks; Sha256WriteStream hashes the bytes on their way in.
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20);
        byte[]? digest;
        using (var hashing = new Sha256WriteStream(stream))
        {
            file.Write(hashing);
            digest = hashing.Finish();
        }
        stream.Flush(flushToDisk: true);
        long bytes = stream.Length;
        stream.Dispose();
        return new CheckpointManifestFile
        {
            Name = file.FileName,
            Bytes = bytes,
            Sha256 = digest is null ? FileHash.Sha256Hex(path) : FileHash.ToHex(digest),
        };
    }

    private string MoveIntoPlace(string temp, string name)
    {
        string final = Path.Combine(CheckpointsDirectory, name);
        if (!Directory.Exists(final))
        {
            Directory.Move(temp, final);
            DirectorySync.Flush(CheckpointsDirectory);
            return final;
        }

        // Two renames, not one: a folder cannot be renamed over another. Between them the old checkpoint is whole
        // under .old-<name>-<guid>, which List shows and the next save restores if the process dies right there.
        string aside = Path.Combine(CheckpointsDirectory, CheckpointNames.Hidden(CheckpointNames.AsidePrefix, name));
        Directory.Move(final, aside);
        try
        {
            Directory.Move(temp, final);
        }
        catch
        {
            Directory.Move(aside, final);
            throw;
        }
        DirectorySync.Flush(CheckpointsDirectory);
        DeleteLeftover(aside);
        return final;
    }

    /// <summary>Removes what an interrupted save or deletion left: temporary and being-deleted folders go; a
    /// checkpoint set aside for replacement takes its name back if the replacement never arrived.</summary>
    private void CleanUpInterruptedWork()
    {
        foreach (string dir in Directory.GetDirectories(CheckpointsDirectory))
        {
            string folder = Path.GetFileName(dir);
            if (folder.StartsWith(CheckpointNames.TempPrefix, StringComparison.Ordinal)
                || folder.StartsWith(CheckpointNames.DeletingPrefix, StringComparison.Ordinal))
            {
                Directory.Delete(dir, recursive: true);
            }
            else if (CheckpointNames.HiddenOriginal(folder, CheckpointNames.AsidePrefix) is string original)
            {
                string named = Path.Combine(CheckpointsDirectory, original);
                if (!Directory.Exists(named) && File.Exists(Path.Combine(dir, ManifestFileName)))
                    Directory.Move(dir, named);
                else
                    Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Deletes a hidden folder that is no longer needed. A failure here does not undo a save that already
    /// succeeded or hide the error that got us here; the folder is hidden and the next save deletes it.</summary>
    private static void DeleteLeftover(string hiddenFolder)
    {
        try
        {
            if (Directory.Exists(hiddenFolder)) Directory.Delete(hiddenFolder, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void CheckName(string name, CheckpointSummary summary)
    {
        if (!CheckpointNames.IsPlainFileName(name))
            throw new ArgumentException(
                $"'{name}' is not a checkpoint name: use letters, digits, '_', '.', '-', not starting with '.' or '-', at most 100 characters",
                nameof(name));
        if (CheckpointNames.TryParseStep(name, out long step) && step != summary.Step)
            throw new ArgumentException($"the checkpoint is named '{name}' but its summary says step {summary.Step}", nameof(name));
    }

    private static void CheckSummary(CheckpointSummary summary)
    {
        ArgumentException.ThrowIfNullOrEmpty(summary.RunId, "summary.RunId");
        ArgumentException.ThrowIfNullOrEmpty(summary.EnvId, "summary.EnvId");
        ArgumentException.ThrowIfNullOrEmpty(summary.Algorithm, "summary.Algorithm");
        ArgumentOutOfRangeException.ThrowIfNegative(summary.Step, "summary.Step");
        ArgumentOutOfRangeException.ThrowIfNegative(summary.Episode, "summary.Episode");
        CheckRate(summary.EvalSuccessRate, "summary.EvalSuccessRate");
        CheckRate(summary.BestEvalSuccessRate, "summary.BestEvalSuccessRate");
        ArgumentNullException.ThrowIfNull(summary.Extra, "summary.Extra");
        foreach (var (key, value) in summary.Extra)
        {
            if (string.IsNullOrEmpty(key) || value is null)
                throw new ArgumentException("summary.Extra needs non-empty keys and non-null values", "summary.Extra");
        }
    }

    private static void CheckRate(double? rate, string paramName)
    {
        if (rate is double r && !(r >= 0 && r <= 1))
            throw new ArgumentOutOfRangeException(paramName, r, "a success rate lies in [0, 1]");
    }

    private static void CheckFiles(IReadOnlyList<CheckpointFile> files)
    {
        // Case-insensitive: a checkpoint copied to Windows or macOS must not have two names collapse into one.
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            ArgumentNullException.ThrowIfNull(file, nameof(files));
            ArgumentNullException.ThrowIfNull(file.Write, $"{nameof(files)}[{file.FileName}].Write");
            if (file.FileName is null || !CheckpointNames.IsPlainFileName(file.FileName))
                throw new ArgumentException($"'{file.FileName}' is not a plain file name (letters, digits, '_', '.', '-'; no folders)", nameof(files));
            if (string.Equals(file.FileName, ManifestFileName, StringComparison.OrdinalIgnoreCase))
                throw new ArgumentException($"'{ManifestFileName}' is written by the store itself", nameof(files));
            if (!seen.Add(file.FileName))
                throw new ArgumentException($"the file name '{file.FileName}' appears twice", nameof(files));
        }
    }
}
