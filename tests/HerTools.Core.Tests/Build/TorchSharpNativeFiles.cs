using System.Reflection;

namespace HerTools.Core.Tests.Build;

/// <summary>Where the tests find TorchSharp's linux-x64 native library, and the one field the patch changes.</summary>
internal static class TorchSharpNativeFiles
{
    /// <summary>
    /// File offset of <c>vna_flags</c> of the <c>GLIBCXX_3.4.32</c> need in TorchSharp 0.107.0's
    /// <c>libLibTorchSharp.so</c>, computed by hand from <c>readelf -S -V</c> on the package file:
    /// <c>.gnu.version_r</c> starts at 0x3f8f0, the need's <c>Elf64_Vernaux</c> sits at 0x140 into it,
    /// and <c>vna_flags</c> follows the 4-byte <c>vna_hash</c>: 0x3f8f0 + 0x140 + 4 = 0x3fa34.
    /// </summary>
    public const long MarkerNeedFlagsOffset = 0x3fa34;

    /// <summary>The package-cache original this test build copied its native library from.</summary>
    public static string PackageOriginal { get; } =
        typeof(TorchSharpNativeFiles).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(attribute => attribute.Key == "TorchSharpNativeOrigin").Value
        ?? throw new InvalidOperationException("The test build did not record TorchSharpNativeOrigin.");

    /// <summary>The copy in this test run's build output, which the build patched.</summary>
    public static string BuildOutputCopy { get; } =
        Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
}
