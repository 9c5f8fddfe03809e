using System.Reflection;

namespace HerTools.Core.Tests.Build;

/// <summary>Where the tests find TorchSharp's linux-x64 native library, and the one field the patch changes.</summary>
internal static class TorchSharpNativeFiles
{
    /// <summary>
    /// File offset of <c>vna_flags</c> of the <c>GLIBCXX_3.4.32</c> need in the package's <c>libLibTorchSharp.so</c>,
    /// as the patcher finds it. Not a number pinned to one TorchSharp build: the tests that index with it first check
    /// it independently (<see cref="VernauxHashAt"/>), so a TorchSharp upgrade moves it without breaking them.
    /// </summary>
    public static long MarkerNeedFlagsOffset => MarkerOffset.Value;

    /// <summary><c>vna_hash</c> of the <c>Elf64_Vernaux</c> whose <c>vna_flags</c> sit at <paramref name="flagsOffset"/> (the 4 bytes before them).</summary>
    public static uint VernauxHashAt(byte[] image, long flagsOffset) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan((int)flagsOffset - 4, 4));

    /// <summary>The System V ABI's ELF hash of a symbol or version name, as <c>vna_hash</c> records it.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (char c in name)
        {
            h = (h << 4) + c;
            uint g = h & 0xf0000000;
            if (g != 0) h ^= g >> 24;
            h &= ~g;
        }
        return h;
    }

    /// <summary>The package-cache original this test build copied its native library from.</summary>
    public static string PackageOriginal { get; } =
        typeof(TorchSharpNativeFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "TorchSharpNativeOrigin").Value
        ?? throw new InvalidOperationException("The test build did not record TorchSharpNativeOrigin.");

    /// <summary>The copy in this test run's build output, which the build patched.</summary>
    public static string BuildOutputCopy { get; } =
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    private static readonly Lazy<long> MarkerOffset = new(() => HerTools.Build.ElfVersionNeedPatcher.FindNeedFlagOffsets(
        File.ReadAllBytes(PackageOriginal), HerTools.Build.ElfVersionNeedPatcher.TorchSharpMarkerVersion)!.Single());
}
