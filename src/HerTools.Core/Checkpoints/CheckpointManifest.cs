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

    /// <summary>Reads and checks <c>checkpoint.json</c> of <paramref name="checkpointPath"/>.</summary>
    /// <exception cref="CheckpointException">Absent, unreadable, foreign, of an unknown version, or inconsistent.</exception>
    public static CheckpointManifest Read(string checkpointPath)
    {
        const string manifestName = CheckpointStore.ManifestFileName;
        string path = Path.Combine(checkpointPath, manifestName);
        if (!Directory.Exists(checkpointPath))
            throw new CheckpointException(checkpointPath, null, CheckpointProblem.NotACheckpoint, "the checkpoint folder does not exist");
        if (!File.Exists(path))
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.NotACheckpoint,
                $"not a checkpoint folder: it has no {manifestName} (an incomplete or foreign folder)");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(path));
        }
        catch (JsonException e)
        {
            throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed, $"not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
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
            catch (JsonException e)
            {
                throw new CheckpointException(checkpointPath, manifestName, CheckpointProblem.Malformed, e.Message, e);
            }
            manifest.Check(checkpointPath);
            return manifest;
        }
    }

    private void Check(string checkpointPath)
    {
        void Fail(string problem) =>
            throw new CheckpointException(checkpointPath, CheckpointStore.ManifestFileName, CheckpointProblem.Malformed, problem);

        if (Step < 0) Fail($"step is {Step.ToString(CultureInfo.InvariantCulture)}, below 0");
        if (Episode < 0) Fail($"episode is {Episode.ToString(CultureInfo.InvariantCulture)}, below 0");
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Files)
        {
            // A manifest naming "../x" must not make the reader open files outside the checkpoint.
            if (!CheckpointNames.IsPlainFileName(file.Name) || file.Name == CheckpointStore.ManifestFileName)
                Fail($"lists a file named '{file.Name}', which is not a plain file name inside the checkpoint");
            if (!seen.Add(file.Name)) Fail($"lists the file '{file.Name}' twice");
            if (file.Bytes < 0) Fail($"lists '{file.Name}' with a length below 0");
            if (file.Sha256.Length != 64 || !file.Sha256.All(char.IsAsciiHexDigitLower))
                Fail($"lists '{file.Name}' with a SHA-256 that is not 64 lowercase hexadecimal digits");
        }
    }
}
