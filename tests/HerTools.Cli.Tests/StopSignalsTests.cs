using System.Diagnostics;
using System.Runtime.InteropServices;
using HerTools.Core.Checkpoints;

namespace HerTools.Cli.Tests;

/// <summary>The real tool in its own process, stopped by a signal as a shell, Slurm or a container runtime would.</summary>
public partial class StopSignalsTests
{
    private const int SIGINT = 2;
    private const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [Theory]
    [InlineData(SIGTERM)]
    [InlineData(SIGINT)]
    public async Task A_signal_during_training_writes_a_checkpoint_and_exits_130(int signal)
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        string tool = Path.Combine(AppContext.BaseDirectory, "her-tools.dll");
        // Through `env --default-signal=INT`: a shell starts background commands with SIGINT ignored, children inherit
        // that, and .NET then leaves SIGINT alone (as a background job should). When the test runner itself was started
        // that way (a CI job, `cmd &`), the tool would never see the signal this test sends.
        var start = new ProcessStartInfo("env")
        {
            ArgumentList =
            {
                "--default-signal=INT", "dotnet", tool, "train", "--preset", "point_goal", "--set", "total_timesteps=1000000", "--set", "eval.eval_freq=0",
                "--output", runDir,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        using var process = Process.Start(start)!;
        var stdout = new List<string>();
        var trainingUnderway = new ManualResetEventSlim();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (stdout) stdout.Add(e.Data);
            if (e.Data.Contains("steps/s")) trainingUnderway.Set();
        };
        Task<string> stderrRead = process.StandardError.ReadToEndAsync();
        process.BeginOutputReadLine();
        try
        {
            // Until training reports progress, or the tool ends on its own (then the asserts below say why).
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (!trainingUnderway.Wait(100) && !process.HasExited && DateTime.UtcNow < deadline) { }
            Assert.True(trainingUnderway.IsSet || process.HasExited, "no progress line within 120 s");
            if (process.HasExited)
            {
                await process.WaitForExitAsync();
                Assert.Fail($"the tool ended before the signal: exit {process.ExitCode}\n{await stderrRead}");
            }
            Assert.Equal(0, Kill(process.Id, signal));
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await process.WaitForExitAsync(patience.Token);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        string stderr = await stderrRead;

        string output;
        lock (stdout) output = string.Join("\n", stdout);
        Assert.True(process.ExitCode == ExitCodes.Stopped, $"exit {process.ExitCode}\n{output}\n{stderr}");
        Assert.Contains("Training stopped", output);
        Assert.Contains("stopping after a checkpoint", stderr);
        var latest = CheckpointStore.Latest(runDir);
        Assert.NotNull(latest);
        Assert.True(latest.Step > 0);
    }
}
