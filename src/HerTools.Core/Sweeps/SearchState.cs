using System.Text.Json;
using System.Text.Json.Serialization;
using HerTools.Core.Runs;

namespace HerTools.Core.Sweeps;

/// <summary>
/// A search's decisions so far: <c>search.json</c> in the sweep folder, one record per decided rung. It changes only when
/// a rung is decided, and then atomically (temp file and rename), so a search stopped at any moment (Ctrl+C, a killed
/// controller, a lost node) resumes from a consistent state: the rung after the last decided one, whose runs' own folders
/// say how far they got.
/// </summary>
public sealed record SearchState
{
    public const string FileName = "search.json";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The decided rungs, in order; the rung being trained is the next one.</summary>
    [JsonPropertyName("rungs")] public IReadOnlyList<SearchRungRecord> Rungs { get; init; } = [];

    /// <summary>The best trial of the last rung, once the search has ended.</summary>
    [JsonPropertyName("chosen_trial")] public int? ChosenTrial { get; init; }

    /// <summary>Reads <c>search.json</c>; a folder without one has decided nothing yet.</summary>
    /// <exception cref="SweepException">The file is not a readable search state.</exception>
    public static SearchState Read(string sweepDirectory)
    {
        string path = Path.Combine(sweepDirectory, FileName);
        if (!File.Exists(path)) return new SearchState();
        try { return JsonSerializer.Deserialize<SearchState>(File.ReadAllText(path), Json) ?? new SearchState(); }
        catch (JsonException e) { throw new SweepException($"{path}: not a readable search state: {e.Message}", e); }
    }

    /// <summary>Replaces <c>search.json</c> atomically.</summary>
    public void Write(string sweepDirectory) =>
        AtomicFile.WriteAllText(Path.Combine(sweepDirectory, FileName), JsonSerializer.Serialize(this, Json) + "\n");
}
