using System.Text;
using System.Text.Json.Nodes;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests.Fuzz;

/// <summary>One mutated file and how it was made (printed when a case fails, with the seed that repeats it).</summary>
internal sealed record Mutation(string Description, byte[] Bytes);

/// <summary>
/// Damages checkpoint files the ways the fuzz test asks for: bit flips and random bytes, truncation, extension, and
/// length fields set to -1, 0, 1 or huge; for <c>replay.bin</c> the payload checksum is mostly recomputed (a crafter
/// would), so the buffer's own invariant checks are what stands between the file and the sampler.
/// </summary>
internal static class Mutator
{
    private static readonly long[] Int64Values = [-1, 0, 1, int.MaxValue, long.MaxValue, long.MinValue, 1L << 40];
    private static readonly int[] Int32Values = [-1, 0, 1, int.MaxValue, int.MinValue, 1 << 30, 65536];
    private static readonly byte[] PrefixValues = [0x00, 0x01, 0x7F, 0xFF];

    public static Mutation Binary(byte[] pristine, IReadOnlyList<LengthField> fields, Rng rng, bool isReplay)
    {
        byte[] bytes = (byte[])pristine.Clone();
        string description;
        bool payloadChanged = true;
        switch (rng.NextInt(fields.Count > 0 ? 6 : 4))
        {
            case 0:
                {
                    int flips = 1 + rng.NextInt(3);
                    var at = new List<string>();
                    for (int i = 0; i < flips; i++)
                    {
                        int bit = rng.NextInt(bytes.Length * 8);
                        bytes[bit / 8] ^= (byte)(1 << (bit % 8));
                        at.Add($"{bit / 8}.{bit % 8}");
                    }
                    description = $"bits flipped at {string.Join(", ", at)}";
                    break;
                }
            case 1:
                {
                    int at = rng.NextInt(bytes.Length);
                    bytes[at] = (byte)rng.NextInt(256);
                    description = $"byte {at} set to {bytes[at]}";
                    break;
                }
            case 2:
                {
                    int length = rng.NextInt(bytes.Length);
                    bytes = bytes[..length];
                    description = $"truncated to {length} bytes";
                    payloadChanged = false;
                    break;
                }
            case 3:
                {
                    int extra = 1 + rng.NextInt(rng.NextBool() ? 16 : 4096);
                    var tail = new byte[extra];
                    for (int i = 0; i < extra; i++) tail[i] = (byte)rng.NextInt(256);
                    bytes = [.. bytes, .. tail];
                    description = $"extended by {extra} bytes";
                    payloadChanged = false;
                    break;
                }
            default:
                {
                    var field = fields[rng.NextInt(fields.Count)];
                    description = $"{field.Name} (offset {field.Offset}) set to ";
                    switch (field.Width)
                    {
                        case 1:
                            bytes[field.Offset] = PrefixValues[rng.NextInt(PrefixValues.Length)];
                            description += bytes[field.Offset];
                            break;
                        case 4:
                            int value32 = Int32Values[rng.NextInt(Int32Values.Length)];
                            BitConverter.GetBytes(value32).CopyTo(bytes, field.Offset);
                            description += value32;
                            break;
                        default:
                            long value64 = Int64Values[rng.NextInt(Int64Values.Length)];
                            BitConverter.GetBytes(value64).CopyTo(bytes, field.Offset);
                            description += value64;
                            break;
                    }
                    break;
                }
        }
        // Three cases in four get a payload checksum that matches again: the header, the length or the checksum
        // itself may be what was hit, in which case the recomputation changes nothing the reader checks first.
        if (isReplay && payloadChanged && rng.NextInt(4) != 0 && FixReplayChecksum(bytes)) description += ", payload checksum recomputed";
        return new Mutation(description, bytes);
    }

    /// <summary>Recomputes replay.bin's FNV-1a payload checksum for the payload length its header declares.</summary>
    private static bool FixReplayChecksum(byte[] bytes)
    {
        if (bytes.Length < 28) return false;
        long payload = BitConverter.ToInt64(bytes, 12);
        if (payload < 0 || 20 + payload + 8 != bytes.Length) return false;
        ulong hash = 14695981039346656037UL;
        for (long i = 20; i < 20 + payload; i++) { hash ^= bytes[i]; hash *= 1099511628211UL; }
        BitConverter.GetBytes(hash).CopyTo(bytes, 20 + payload);
        return true;
    }

    private static readonly string[] NumberFields = ["format_version", "step", "episode", "eval_success_rate", "best_eval_success_rate"];
    private static readonly JsonNode?[] HostileNumbers =
        [-1, 0, long.MaxValue, JsonValue.Create(1e300), JsonValue.Create(-0.5), JsonValue.Create(2.0), JsonValue.Create(1.5e19), "7", null, true];
    private static readonly string[] HostileNames =
        ["agent.bin\n", "agent.bin\r\n", "../agent.bin", "/etc/passwd", "", ".hidden", "a/b", "NUL", "checkpoint.json", "AGENT.BIN", "agent.bin\0", "x\u2028y"];

    /// <summary>A damaged checkpoint.json: text damage, or a structural change a crafter might try.</summary>
    public static Mutation Manifest(byte[] pristine, Rng rng)
    {
        int kind = rng.NextInt(10);
        if (kind < 3)
        {
            var damaged = Binary(pristine, [], rng, isReplay: false);
            return damaged with { Description = "text " + damaged.Description };
        }

        var root = JsonNode.Parse(pristine)!.AsObject();
        var files = root["files"]!.AsArray();
        string description;
        switch (kind)
        {
            case 3:
                {
                    string key = NumberFields[rng.NextInt(NumberFields.Length)];
                    var value = HostileNumbers[rng.NextInt(HostileNumbers.Length)];
                    root[key] = value?.DeepClone();
                    description = $"{key} set to {value?.ToJsonString() ?? "null"}";
                    break;
                }
            case 4:
                {
                    var entry = files[rng.NextInt(files.Count)]!;
                    var value = HostileNumbers[rng.NextInt(HostileNumbers.Length)];
                    entry["bytes"] = value?.DeepClone();
                    description = $"bytes of {entry["name"]} set to {value?.ToJsonString() ?? "null"}";
                    break;
                }
            case 5:
                {
                    var entry = files[rng.NextInt(files.Count)]!;
                    string name = HostileNames[rng.NextInt(HostileNames.Length)];
                    description = $"name {entry["name"]} set to {JsonValue.Create(name).ToJsonString()}";
                    entry["name"] = name;
                    break;
                }
            case 6:
                {
                    int choice = rng.NextInt(5);
                    (description, JsonNode? replacement) = choice switch
                    {
                        0 => ("files set to null", (JsonNode?)null),
                        1 => ("files set to an object", new JsonObject()),
                        2 => ("files gets a null entry", new JsonArray([.. files.Select(f => f!.DeepClone()), null])),
                        3 => ("files lists an entry twice", new JsonArray([.. files.Select(f => f!.DeepClone()), files[0]!.DeepClone()])),
                        _ => ("files emptied", new JsonArray()),
                    };
                    root["files"] = replacement;
                    break;
                }
            case 7:
                {
                    string key = root.Select(p => p.Key).ElementAt(rng.NextInt(root.Count));
                    root.Remove(key);
                    description = $"{key} removed";
                    break;
                }
            case 8:
                {
                    var entry = files[rng.NextInt(files.Count)]!;
                    string sha = (string)entry["sha256"]!;
                    string[] shas = [sha.ToUpperInvariant(), sha[..63], sha + "0", new string('g', 64), ""];
                    entry["sha256"] = shas[rng.NextInt(shas.Length)];
                    description = $"sha256 of {entry["name"]} set to '{entry["sha256"]}'";
                    break;
                }
            default:
                {
                    switch (rng.NextInt(4))
                    {
                        case 0:
                            // Deeper than any parser should follow: spliced in as text, JsonNode would refuse to build it.
                            root["extra"] = "DEEP";
                            string deep = new string('[', 5000) + new string(']', 5000);
                            return new Mutation("extra nested 5000 deep", Encoding.UTF8.GetBytes(root.ToJsonString().Replace("\"DEEP\"", deep)));
                        case 1:
                            root["extra"] = new JsonObject { ["seed"] = null };
                            description = "extra has a null value";
                            break;
                        case 2:
                            root["extra"] = new JsonObject { ["seed"] = 5 };
                            description = "extra has a number value";
                            break;
                        default:
                            root["run_id"] = new string('r', 1 << 20);
                            description = "run_id of a megabyte";
                            break;
                    }
                    break;
                }
        }
        return new Mutation(description, Encoding.UTF8.GetBytes(root.ToJsonString()));
    }
}
