namespace HerTools.Core.Checkpoints;

/// <summary>
/// A checkpoint folder whose <c>checkpoint.json</c> and every listed file were checked when it was opened
/// (format version, presence, length, SHA-256). Get one from <see cref="CheckpointStore.Open"/>.
/// </summary>
public sealed class CheckpointReader
{
    private readonly Dictionary<string, long> _fileBytes;

    private CheckpointReader(CheckpointInfo info, CheckpointSummary summary, IReadOnlyList<CheckpointManifestFile> files)
    {
        Info = info;
        Summary = summary;
        FileNames = files.Select(f => f.Name).ToArray();
        _fileBytes = files.ToDictionary(f => f.Name, f => f.Bytes, StringComparer.Ordinal);
    }

    public CheckpointInfo Info { get; }

    /// <summary>What the trainer recorded when it saved the checkpoint.</summary>
    public CheckpointSummary Summary { get; }

    /// <summary>The files <c>checkpoint.json</c> lists, in the order they were saved.</summary>
    public IReadOnlyList<string> FileNames { get; }

    /// <summary>Whether the checkpoint holds <paramref name="fileName"/> (compared exactly, case included).</summary>
    public bool Has(string fileName) => _fileBytes.ContainsKey(fileName);

    /// <summary>The length <c>checkpoint.json</c> states for a listed file (the most its reader will get).</summary>
    public long BytesOf(string fileName) => _fileBytes.TryGetValue(fileName, out long bytes) ? bytes
        : throw NotListed(fileName);

    /// <summary>
    /// Opens a listed file for reading; the caller disposes the stream. The file must still be a regular file of the
    /// length <c>checkpoint.json</c> states, and the stream ends there.
    /// </summary>
    /// <exception cref="CheckpointException">The file is not listed in <c>checkpoint.json</c>, or no longer what it lists.</exception>
    public Stream OpenFile(string fileName) => CheckpointFileAccess.OpenRegular(Info.Path, fileName, BytesOf(fileName));

    private CheckpointException NotListed(string fileName) =>
        new(Info.Path, fileName, CheckpointProblem.NotListed, $"not part of this checkpoint: {CheckpointStore.ManifestFileName} does not list it");

    internal static CheckpointReader OpenVerified(string checkpointPath)
    {
        string path = System.IO.Path.GetFullPath(checkpointPath);
        var manifest = CheckpointManifest.Read(path);
        // Every file's kind and length first: a FIFO listed last must not wait behind a long hash of the others.
        foreach (var file in manifest.Files)
            CheckpointFileAccess.CheckRegular(path, file.Name, file.Bytes);
        foreach (var file in manifest.Files)
            Verify(path, file);
        var info = CheckpointStore.InfoFrom(path, System.IO.Path.GetFileName(path), manifest);
        return new CheckpointReader(info, manifest.ToSummary(), manifest.Files);
    }

    private static void Verify(string checkpointPath, CheckpointManifestFile file)
    {
        const string listed = CheckpointStore.ManifestFileName;
        string sha256;
        using (var stream = CheckpointFileAccess.OpenRegular(checkpointPath, file.Name, file.Bytes, bufferSize: 1 << 20))
            sha256 = FileHash.Sha256Hex(stream);
        if (sha256 != file.Sha256)
            throw new CheckpointException(checkpointPath, file.Name, CheckpointProblem.HashMismatch,
                $"content hash mismatch: its SHA-256 is {sha256}, {listed} lists {file.Sha256}; the file is corrupt");
    }
}
