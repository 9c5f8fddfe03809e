using System.IO.Compression;
using System.Diagnostics;
using System.Xml.Linq;

namespace HerTools.Core.Tests.Policy;

/// <summary>The HerTools.Policy NuGet package runs where TorchSharp is not installed: its nuspec must not bring it.</summary>
public class PolicyPackageTests : IDisposable
{
    private readonly string _output = Path.Combine(Path.GetTempPath(), $"hertools-policy-pack-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_output)) Directory.Delete(_output, recursive: true);
    }

    [Fact]
    public void The_packed_policy_library_depends_on_nothing_but_the_framework_and_carries_its_readme()
    {
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string project = Path.Combine(RepoPaths.Root, "src", "HerTools.Policy", "HerTools.Policy.csproj");
        var start = new ProcessStartInfo("dotnet", ["pack", project, "-c", configuration, "--no-build", "--nologo", "-o", _output])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using (var pack = Process.Start(start)!)
        {
            string log = pack.StandardOutput.ReadToEnd() + pack.StandardError.ReadToEnd();
            pack.WaitForExit();
            Assert.True(pack.ExitCode == 0, "dotnet pack failed:\n" + log);
        }

        string package = Assert.Single(Directory.GetFiles(_output, "HerTools.Policy.*.nupkg"));
        using var zip = ZipFile.OpenRead(package);
        var nuspecEntry = Assert.Single(zip.Entries, e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal));
        XDocument nuspec;
        using (var stream = nuspecEntry.Open()) nuspec = XDocument.Load(stream);
        var dependencies = nuspec.Descendants().Where(e => e.Name.LocalName == "dependency").Select(e => (string)e.Attribute("id")!).ToList();
        Assert.DoesNotContain(dependencies, id => id.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase) || id.Contains("libtorch",
            StringComparison.OrdinalIgnoreCase));
        Assert.Empty(dependencies);
        Assert.Equal("README.md", nuspec.Descendants().Single(e => e.Name.LocalName == "readme").Value);
        Assert.Contains(zip.Entries, e => e.FullName == "README.md");
        Assert.Contains(zip.Entries, e => e.FullName == "lib/net10.0/HerTools.Policy.dll");
        Assert.DoesNotContain(zip.Entries, e => e.FullName.Contains("TorchSharp", StringComparison.OrdinalIgnoreCase));
    }
}
