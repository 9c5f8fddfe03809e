using System.Text.Json;
using System.Text.Json.Serialization;
using HerTools.Core.Runs;

namespace HerTools.Core.Sweeps;

/// <summary>
/// A run's <c>status.json</c>: what the process training it last said. Written atomically (temp file and rename)
/// whenever the run starts or ends, so a reader never sees half of it. Absent for a run not started yet.
/// </summary>
public sealed record SweepRunRecord
{
    public const string FileName = "status.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary><see cref="SweepRunState.Running"/>, <see cref="SweepRunState.Done"/>, <see cref="SweepRunState.Failed"/> or <see
    /// cref="SweepRunState.Stopped"/>.</summary>
    [JsonPropertyName("state")] public SweepRunState State { get; init; }
    /// <summary>Why the run failed, one line; null otherwise.</summary>
    [JsonPropertyName("error")] public string? Error { get; init; }
    /// <summary>When the latest attempt started.</summary>
    [JsonPropertyName("started_utc")] public DateTimeOffset? StartedUtc { get; init; }
    /// <summary>When the latest attempt ended; null while it runs.</summary>
    [JsonPropertyName("ended_utc")] public DateTimeOffset? EndedUtc { get; init; }
    /// <summary>How many times the run was started (a resume or a requeue adds one).</summary>
    [JsonPropertyName("attempts")] public int Attempts { get; init; }
    /// <summary>The host and process that ran the latest attempt (to tell a live run from one whose process died).</summary>
    [JsonPropertyName("host")] public string? Host { get; init; }
    [JsonPropertyName("pid")] public int? Pid { get; init; }
    /// <summary>The Slurm job id of the attempt (<c>SLURM_JOB_ID</c>), and the array it belongs to; null when run locally.</summary>
    [JsonPropertyName("slurm_job_id")] public string? SlurmJobId { get; init; }
    [JsonPropertyName("slurm_array_job_id")] public string? SlurmArrayJobId { get; init; }
    [JsonPropertyName("slurm_array_task_id")] public int? SlurmArrayTaskId { get; init; }
    /// <summary>The budget (<c>total_timesteps</c>) the attempt trained toward: a search's rung, or the run's own.</summary>
    [JsonPropertyName("total_timesteps")] public long? TotalTimesteps { get; init; }
    /// <summary>The checkpoint the attempt resumed from; null when it started afresh.</summary>
    [JsonPropertyName("resumed_from")] public string? ResumedFrom { get; init; }

    /// <summary>Reads a run folder's <c>status.json</c>; null when there is none (or it cannot be parsed, which only a
    /// writer that died before its rename could cause, and then the run is as good as never started).</summary>
    public static SweepRunRecord? Read(string runDirectory)
    {
        string path = Path.Combine(runDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return JsonSerializer.Deserialize<SweepRunRecord>(stream, Json);
        }
        catch (FileNotFoundException) { return null; }
        catch (JsonException e) { throw new SweepException($"{path}: not a readable run status: {e.Message}", e); }
    }

    /// <summary>Like <see cref="Read"/>, but an unreadable file (what a power loss can leave) reads as no record: the
    /// run is then as good as never finished, and a task starts or continues it.</summary>
    public static SweepRunRecord? TryRead(string runDirectory)
    {
        try { return Read(runDirectory); }
        catch (SweepException) { return null; }
    }

    /// <summary>Writes the record into <paramref name="runDirectory"/> atomically, forced to disk before and after the rename.</summary>
    public void Write(string runDirectory)
    {
        Directory.CreateDirectory(runDirectory);
        AtomicFile.WriteAllText(Path.Combine(runDirectory, FileName), JsonSerializer.Serialize(this, Json) + "\n");
    }
}
