using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HerTools.Core.Checkpoints;

namespace HerTools.Core.Tests;

/// <summary>For tests that tamper with a checkpoint file on purpose: makes the manifest vouch for the file's new bytes, so
/// what the test meets is the loader's check of the content, not the manifest's hash check.</summary>
internal static class CheckpointManifestEdits
{
    /// <summary>Sets the manifest entry of <paramref name="fileName"/> in <paramref name="checkpoint"/> to the file's current length and SHA-256.</summary>
    public static void Vouch(string checkpoint, string fileName)
    {
        byte[] bytes = File.ReadAllBytes(Path.Combine(checkpoint, fileName));
        string manifestPath = Path.Combine(checkpoint, CheckpointStore.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!;
        foreach (var entry in manifest["files"]!.AsArray())
        {
            if ((string)entry!["name"]! != fileName) continue;
            entry["bytes"] = bytes.Length;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }
}
