using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HerTools.Cli.Output;

/// <summary>The <c>--json</c> format: the engine's records as snake_case JSON (the spelling of the CSV columns and the
/// config keys, so <c>jq</c> users learn one), enums as snake_case strings, indented, one document per command.
/// Member names follow the records, so the shape only changes when they do.</summary>
internal static class CliJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // A diverged metric must still print rather than throw.
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        // Printed for people and scripts, never embedded in HTML: keep '>' and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write<T>(TextWriter output, T value) => output.WriteLine(JsonSerializer.Serialize(value, Options));
}
