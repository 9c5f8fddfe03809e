using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HerTools.Core.Checkpoints;

/// <summary>
/// The shape of <c>checkpoint.json</c> and its reading and writing. Reading checks, in this order, that the file is
/// JSON, that it says it is a HerTools checkpoint of a format version this code knows, and only then that the
/// fields of that version are there, so a newer checkpoint is refused for its version, not for a missing field.
/// </summary>
internal sealed class CheckpointManifest
{
    public const string FormatName = "hertools.checkpoint";

    public required string Format { get; init; }
    public required int FormatVersion { get; init; }
    public required DateTimeOffset CreatedUtc { get; init; }
    public string? WrittenBy { get; init; }
    public required string RunId { get; init; }
    public required long Step { get; init; }
    public required long Episode { get; init; }
    public required string EnvId { get; init; }
    public required string Algorithm { get; init; }
    public required double? EvalSuccessRate { get; init; }
    public required double? BestEvalSuccessRate { get; init; }
    public required bool HasReplayBuffer { get; init; }
    public Dictionary<string, string>? Extra { get; init; }
    public required List<CheckpointManifestFile> Files { get; init; }

    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        // A file for people to read: no \u002B for the '+' of a time zone.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        RespectNullableAnnotations = true,
    };

    private static readonly string WriterName = "HerTools " +
        (typeof(CheckpointManifest).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?.Split('+')[0] ?? "unknown");

    public static CheckpointManifest Create(CheckpointSummary summary, IEnumerable<CheckpointManifestFile> files, DateTimeOffset createdUtc) => new()
    {
        Format = FormatName,
        FormatVersion = CheckpointStore.FormatVersion,
        CreatedUtc = createdUtc,
        WrittenBy = WriterName,
        RunId = summary.RunId,
        Step = summary.Step,
        Episode = summary.Episode,
        EnvId = summary.EnvId,
        Algorithm = summary.Algorithm,
        EvalSuccessRate = summary.EvalSuccessRate,
        BestEvalSuccessRate = summary.BestEvalSuccessRate,
        HasReplayBuffer = summary.HasReplayBuffer,
        Extra = summary.Extra.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
        Files = files.ToList(),
    };

    public CheckpointSummary ToSummary() =>
        new(RunId, Step, Episode, EnvId, Algorithm, EvalSuccessRate, BestEvalSuccessRate, HasReplayBuffer)
        {
            Extra = Extra ?? new Dictionary<string, string>(),
        };

    [JsonIgnore]
    public long TotalBytes => Files.Sum(f => f.Bytes);

    /// <summary>Writes the manifest to a new file and forces it to disk before returning.</summary>
    public void WriteTo(string path)
    {
        using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        JsonSerializer.Serialize(stream, this, Options);
        stream.WriteByte((byte)'\n');
        stream.Flush(flushToDisk: true);
    }

    /// <summary>The largest length a listed file may have (a petabyte): far beyond any buffer, far below overflow.</summary>
    public const long MaxFileBytes = 1L << 50;

    /// <summary>The largest <c>checkpoint.json</c> read: a real one is a few kilobytes, whatever the run.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>Reads and checks <c>checkpoint.json</c> of <paramref name="checkpointPath"/>.</summary>
    /// <exception cref="CheckpointException">Absent, not a regular file, too large, unreadable, foreign, of an unknown
    /// version, or inconsistent.</exception>
    public static CheckpointManifest Read(string checkpointPath)
    {
        const string manifestName = CheckpointStore.ManifestFileName;
        string path = Path.Combine(checkpointPath, manifestName);
        if (!Directory.Exists(checkpointPath))
            throw new CheckpointException(checkpointPath, null, CheckpointProblem.NotACheckpoint, "the checkpoint folder does not exist");
        var kind = CheckpointFileAccess.KindOf(path, out long length);
        if (kind == CheckpointFileKind.Missing)
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.NotACheckpoint,
                $"not a checkpoint folder: it has no {manifestName} (an incomplete or foreign folder)");
        if (kind == CheckpointFileKind.Regular && length > MaxBytes)
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed,
                $"{length} bytes, more than the {MaxBytes} a checkpoint manifest may have");

        byte[] bytes = new byte[length];
        using (var stream = CheckpointFileAccess.OpenRegular(checkpointPath, manifestName, length))
        {
            int read = 0, n;
            while (read < bytes.Length && (n = stream.Read(bytes, read, bytes.Length - read)) > 0) read += n;
            if (read < bytes.Length)
                throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Truncated, $"truncated while read: {read} of {length} bytes");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException e)
        {
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            try
            {
                return FromDocument(checkpointPath, document.RootElement);
            }
            catch (InvalidOperationException e)
            {
                // A string that is not valid UTF-8: JsonDocument checks the structure, not every string's encoding.
                throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed, $"not valid JSON text: {e.Message}", e);
            }
        }
    }

    private static CheckpointManifest FromDocument(string checkpointPath, JsonElement root)
    {
        const string manifestName = CheckpointStore.ManifestFileName;
        if (root.ValueKind != JsonValueKind.Object)
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.UnsupportedFormat,
                $"not a HerTools checkpoint manifest: the top level is {root.ValueKind}, not an object");
        string? format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
        if (format != FormatName)
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.UnsupportedFormat,
                $"not a HerTools checkpoint manifest: \"format\" is {(format is null ? "absent" : $"'{format}'")}, expected '{FormatName}'");
        if (!root.TryGetProperty("format_version", out var v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.UnsupportedFormat,
                "\"format_version\" is absent or not an integer");
        if (version != CheckpointStore.FormatVersion)
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.UnsupportedFormat,
                $"format version {version} is not supported; this HerTools reads format version {CheckpointStore.FormatVersion}");

        CheckpointManifest manifest;
        try
        {
            manifest = root.Deserialize<CheckpointManifest>(Options)
                ?? throw new JsonException("the manifest is null");
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed, e.Message, e);
        }
        manifest.Check(checkpointPath);
        return manifest;
    }

    private void Check(string checkpointPath)
    {
        CheckpointException Fail(string problem) =>
            new(checkpointPath, CheckpointStore.ManifestFileName, CheckpointProblem.Malformed, problem);

        if (Step < 0) throw Fail($"step is {Step.ToString(CultureInfo.InvariantCulture)}, below 0");
        if (Episode < 0) throw Fail($"episode is {Episode.ToString(CultureInfo.InvariantCulture)}, below 0");
        if (RunId.Length == 0 || EnvId.Length == 0 || Algorithm.Length == 0) throw Fail("run_id, env_id and algorithm must not be empty");
        foreach (var (key, rate) in (ReadOnlySpan<(string, double?)>)[("eval_success_rate", EvalSuccessRate), ("best_eval_success_rate", BestEvalSuccessRate)])
            if (rate is double r && !(r >= 0 && r <= 1)) throw Fail($"{key} is {r.ToString(CultureInfo.InvariantCulture)}, outside [0, 1]");
        // Collections' elements are not covered by the nullable annotations the serializer respects.
        if (Extra is not null && Extra.Values.Any(v => v is null)) throw Fail("\"extra\" has a null value");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Files)
        {
            if (file is null) throw Fail("\"files\" has a null entry");
            string name = CheckpointNames.Printable(file.Name);
            // A manifest naming "../x" must not make the reader open files outside the checkpoint.
            if (!CheckpointNames.IsPlainFileName(file.Name) || file.Name == CheckpointStore.ManifestFileName)
                throw Fail($"lists a file named '{name}', which is not a plain file name inside the checkpoint");
            if (!seen.Add(file.Name)) throw Fail($"lists the file '{name}' twice");
            if (file.Bytes < 0) throw Fail($"lists '{name}' with a length below 0");
            // So the total of all lengths cannot overflow, whatever the manifest says.
            if (file.Bytes > MaxFileBytes) throw Fail($"lists '{name}' with a length of {file.Bytes} bytes, more than a checkpoint file can have");
            if (file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
                throw Fail($"lists '{name}' with a SHA-256 that is not 64 lowercase hexadecimal digits");
        }
    }
}
