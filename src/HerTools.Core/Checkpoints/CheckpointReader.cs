namespace HerTools.Core.Checkpoints;

/// <summary>
/// A checkpoint folder whose <c>checkpoint.json</c> and every listed file were checked when it was opened
/// (format version, presence, length, SHA-256). Get one from <see cref="CheckpointStore.Open"/>.
/// </summary>
public sealed class CheckpointReader
{
    private readonly HashSet<string> _fileNames;

    private CheckpointReader(CheckpointInfo info, CheckpointSummary summary, IReadOnlyList<string> fileNames)
    {
        Info = info;
        Summary = summary;
        FileNames = fileNames;
        _fileNames = new HashSet<string>(fileNames, StringComparer.Ordinal);
    }

    public CheckpointInfo Info { get; }

    /// <summary>What the trainer recorded when it saved the checkpoint.</summary>
    public CheckpointSummary Summary { get; }

    /// <summary>The files <c>checkpoint.json</c> lists, in the order they were saved.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>Whether the checkpoint holds <paramref name="fileName"/> (compared exactly, case included).</summary>
    public bool Has(string fileName) => _fileNames.Contains(fileName);

    /// <summary>Opens a listed file for reading; the caller disposes the stream.</summary>
    /// <exception cref="CheckpointException">The file is not listed in <c>checkpoint.json</c>.</exception>
    public Stream OpenFile(string fileName)
    {
        if (!Has(fileName))
            throw new CheckpointException(Info.Path, fileName, CheckpointProblem.NotListed,
                $"not part of this checkpoint: {CheckpointStore.ManifestFileName} does not list it");
        return new FileStream(System.IO.Path.Combine(Info.Path, fileName), FileMode.Open, FileAccess.Read, FileShare.Read,
            bufferSize: 1 << 16, FileOptions.SequentialScan);
    }

    internal static CheckpointReader OpenVerified(string checkpointPath)
    {
        string path = System.IO.Path.GetFullPath(checkpointPath);
        var manifest = CheckpointManifest.Read(path);
        foreach (var file in manifest.Files)
            Verify(path, file);
        var info = CheckpointStore.InfoFrom(path, System.IO.Path.GetFileName(path), manifest);
        return new CheckpointReader(info, manifest.ToSummary(), manifest.Files.Select(f => f.Name).ToArray());
    }

    private static void Verify(string checkpointPath, CheckpointManifestFile file)
    {
        const string listed = CheckpointStore.ManifestFileName;
        var onDisk = new FileInfo(System.IO.Path.Combine(checkpointPath, file.Name));
        if (!onDisk.Exists)
            throw new CheckpointException(checkpointPath, file.Name, CheckpointProblem.Missing,
                $"missing: {listed} lists it ({file.Bytes} bytes) but it is not in the folder");
        if (onDisk.Length < file.Bytes)
            throw new CheckpointException(checkpointPath, file.Name, CheckpointProblem.Truncated,
                $"truncated: {onDisk.Length} bytes on disk, {listed} lists {file.Bytes}");
        if (onDisk.Length > file.Bytes)
            throw new CheckpointException(checkpointPath, file.Name, CheckpointProblem.WrongLength,
                $"wrong length: {onDisk.Length} bytes on disk, {listed} lists {file.Bytes}");
        string sha256 = FileHash.Sha256Hex(onDisk.FullName);
        if (sha256 != file.Sha256)
            throw new CheckpointException(checkpointPath, file.Name, CheckpointProblem.HashMismatch,
                $"content hash mismatch: its SHA-256 is {sha256}, {listed} lists {file.Sha256}; the file is corrupt");
    }
}
