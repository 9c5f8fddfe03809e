using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HerTools.Core.Checkpoints;

namespace HerTools.Cli.Tests;

/// <summary>
/// Checkpoints crafted to be whole (their manifest matches every byte) but hostile, given to the installed
/// <c>her-tools eval</c>: each must end in exit 1 and one line naming the file (and the field) within 5 seconds,
/// never a hang, a crash or another exception's text.
/// </summary>
public class CraftedCheckpointTests(CraftedCheckpointTests.TrainedRun trained) : IClassFixture<CraftedCheckpointTests.TrainedRun>
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(5);

    /// <summary>One tiny run trained in-process; each test crafts its own copy of its latest checkpoint.</summary>
    public sealed class TrainedRun : IDisposable
    {
        private readonly TempDirectory _dir = new();
        private readonly Lazy<string> _checkpoint;

        public TrainedRun()
        {
            _checkpoint = new(() =>
            {
                string runDirectory = _dir.Combine("run");
                var run = Cli.Run("train", "--preset", "point_goal", "--set", "total_timesteps=130", "--set", "eval.n_eval_episodes=2",
                    "--set", "ddpg.learning_starts=50", "--set", "ddpg.batch_size=16", "--set", "ddpg.hidden_sizes=[16]",
                    "--set", "ddpg.buffer_size=1000", "--output", runDirectory);
                Assert.True(run.ExitCode == 0, run.ToString());
                return CheckpointStore.Latest(runDirectory)!.Path;
            });
        }

        /// <summary>A copy of the checkpoint, inside a run folder of its own, for one test to change.</summary>
        public string Copy(string name)
        {
            string target = _dir.Combine(name, "checkpoints", "step_130");
            Directory.CreateDirectory(target);
            foreach (string file in Directory.GetFiles(_checkpoint.Value))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            return target;
        }

        public void Dispose() => _dir.Dispose();
    }

    private static string InstalledTool()
    {
        string? tools = Environment.GetEnvironmentVariable("HERTOOLS_TOOL_PATH");
        Assert.False(string.IsNullOrEmpty(tools), "these tests run the installed her-tools: set HERTOOLS_TOOL_PATH (scripts/test.sh installs it there)");
        string tool = Path.Combine(tools, OperatingSystem.IsWindows() ? "her-tools.exe" : "her-tools");
        Assert.True(File.Exists(tool), $"the installed her-tools is not at {tool}");
        return tool;
    }

    /// <summary>Runs the installed tool's eval; kills it if it outlives the limit.</summary>
    private static (int ExitCode, string[] ErrorLines, string Out, TimeSpan Elapsed) Eval(string checkpoint)
    {
        var start = new ProcessStartInfo(InstalledTool()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])["eval", checkpoint, "--episodes", "2"]) start.ArgumentList.Add(arg);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // The limit is what the test asserts; a little more before the kill so a slow start still reports its time.
        if (!process.WaitForExit(Limit * 3))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            Assert.Fail($"her-tools eval {checkpoint} did not end within {Limit * 3}");
        }
        clock.Stop();
        string[] lines = stderr.GetAwaiter().GetResult().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, lines, stdout.GetAwaiter().GetResult(), clock.Elapsed);
    }

    private static void AssertRefused(string checkpoint, string fileName, params string[] mentions)
    {
        var (exitCode, lines, stdout, elapsed) = Eval(checkpoint);
        string shown = $"exit {exitCode} after {elapsed.TotalSeconds:0.0} s\n--- stdout\n{stdout}\n--- stderr\n{string.Join('\n', lines)}";
        Assert.True(exitCode == 1, shown);
        Assert.True(lines.Length == 1, shown);
        Assert.StartsWith($"her-tools: {Path.Combine(checkpoint, fileName)}: ", lines[0]);
        foreach (string mention in mentions) Assert.Contains(mention, lines[0]);
        Assert.True(elapsed <= Limit, shown);
    }

    /// <summary>Rewrites a file's entry in checkpoint.json (length and SHA-256), as a crafter would.</summary>
    private static void Rehash(string checkpoint, string fileName)
    {
        string manifestPath = Path.Combine(checkpoint, CheckpointStore.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        byte[] bytes = File.ReadAllBytes(Path.Combine(checkpoint, fileName));
        foreach (var entry in manifest["files"]!.AsArray())
        {
            if ((string)entry!["name"]! != fileName) continue;
            entry["bytes"] = bytes.Length;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        File.WriteAllText(manifestPath, manifest.ToJsonString());
    }

    /// <summary>Where agent.bin's first length field (the actor's parameter count, an int64) lies: after the header
    /// string, the format version and the layout string.</summary>
    private static long FirstTensorLengthOffset(string agentFile)
    {
        using var reader = new BinaryReader(File.OpenRead(agentFile));
        reader.ReadString();
        reader.ReadInt32();
        reader.ReadString();
        return reader.BaseStream.Position;
    }

    private static void WriteInt64At(string file, long offset, long value)
    {
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Write);
        stream.Position = offset;
        stream.Write(BitConverter.GetBytes(value));
    }

    [Theory]
    [InlineData(-1L)]
    [InlineData(long.MaxValue)]
    [InlineData((long)int.MaxValue)]
    public void A_tensor_length_of_minus_one_or_huge_in_agent_bin_is_refused_naming_the_field(long length)
    {
        string checkpoint = trained.Copy($"length-{length}");
        string agent = Path.Combine(checkpoint, "agent.bin");
        WriteInt64At(agent, FirstTensorLengthOffset(agent), length);
        Rehash(checkpoint, "agent.bin");

        AssertRefused(checkpoint, "agent.bin", "actor parameters", $"has {length} values");
    }

    [Fact]
    public void An_observation_of_the_wrong_size_in_state_bin_is_refused_naming_the_field()
    {
        string checkpoint = trained.Copy("observation");
        string state = Path.Combine(checkpoint, "state.bin");
        byte[] bytes = File.ReadAllBytes(state);
        int at = ObservationLengthOffset(bytes);
        Assert.Equal(2, BitConverter.ToInt32(bytes, at)); // PointGoal-v0's observation is [x, v]
        // Three values where the environment has two, the rest of the file shifted to stay readable.
        byte[] crafted = [.. bytes[..at], .. BitConverter.GetBytes(3), .. bytes[(at + 4)..(at + 12)], .. BitConverter.GetBytes(0.5f), .. bytes[(at + 12)..]];
        File.WriteAllBytes(state, crafted);
        Rehash(checkpoint, "state.bin");

        AssertRefused(checkpoint, "state.bin", "observation", "3 values");
    }

    /// <summary>state.bin begins with its magic, version and environment copy count (int32 each), five int64 loop counters
    /// (timesteps, episodes, gradient steps, cycles, steps since training), the cycle's episodes (int32), the (one) copy's
    /// episode return (double) and length (int32), the wall time (double), the two evaluation rates (bool + double each)
    /// and the last evaluation step (int64); the observation's length (int32) follows.</summary>
    private static int ObservationLengthOffset(byte[] state) => 4 + 4 + 4 + 5 * 8 + 4 + 8 + 4 + 8 + 2 * (1 + 8) + 8;

    [Fact]
    public void A_fifo_in_place_of_agent_bin_is_refused_without_waiting_for_a_writer()
    {
        if (OperatingSystem.IsWindows()) return; // no FIFOs in a Windows folder
        string checkpoint = trained.Copy("fifo");
        string agent = Path.Combine(checkpoint, "agent.bin");
        File.Delete(agent);
        using (var mkfifo = Process.Start("mkfifo", [agent]))
        {
            mkfifo.WaitForExit();
            Assert.Equal(0, mkfifo.ExitCode);
        }

        AssertRefused(checkpoint, "agent.bin", "not a regular file");
    }

    [Fact]
    public void A_manifest_naming_a_file_with_a_trailing_newline_is_refused_in_one_line()
    {
        string checkpoint = trained.Copy("newline");
        string manifestPath = Path.Combine(checkpoint, CheckpointStore.ManifestFileName);
        var manifest = JsonNode.Parse(File.ReadAllText(manifestPath))!.AsObject();
        foreach (var entry in manifest["files"]!.AsArray())
            if ((string)entry!["name"]! == "agent.bin") entry["name"] = "agent.bin\n";
        File.WriteAllText(manifestPath, manifest.ToJsonString());
        File.Move(Path.Combine(checkpoint, "agent.bin"), Path.Combine(checkpoint, "agent.bin\n"));

        AssertRefused(checkpoint, CheckpointStore.ManifestFileName, "'agent.bin\\n'", "not a plain file name");
    }
}
