using System.Security.Cryptography;

namespace HerTools.Core.Checkpoints;

/// <summary>SHA-256 of a file on disk, as the lowercase hexadecimal <c>checkpoint.json</c> records.</summary>
internal static class FileHash
{
    public static string Sha256Hex(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 20, FileOptions.SequentialScan);
        return ToHex(SHA256.HashData(stream));
    }

    public static string Sha256Hex(Stream stream) => ToHex(SHA256.HashData(stream));

    public static string ToHex(byte[] digest) => Convert.ToHexStringLower(digest);
}
