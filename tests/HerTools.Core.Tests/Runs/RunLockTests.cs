using System.Diagnostics;
using HerTools.Core.Runs;

namespace HerTools.Core.Tests.Runs;

public sealed class RunLockTests : IDisposable
{
    private readonly string _run = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"hertools-runlock-{Guid.NewGuid():N}")).FullName;

    public void Dispose() => Directory.Delete(_run, recursive: true);

    [Fact]
    public void A_second_writer_is_refused_at_once_with_the_holders_pid_and_host()
    {
        using var held = RunLock.Acquire(_run);

        var e = Assert.Throws<RunLockedException>(() => RunLock.Acquire(_run));

        Assert.StartsWith($"process {Environment.ProcessId} on {Environment.MachineName} since ", e.Holder);
        Assert.Contains(e.Holder!, e.Message);
    }

    [Fact]
    public void A_released_lock_is_taken_by_the_next_writer()
    {
        RunLock.Acquire(_run).Dispose();
        using var again = RunLock.Acquire(_run);
        Assert.True(File.Exists(Path.Combine(_run, RunLock.FileName)));
    }

    [Fact]
    public void A_lock_whose_holder_was_killed_is_taken_over()
    {
        if (!OperatingSystem.IsLinux()) return; // flock(1) takes the OS lock .NET takes; Linux CI runs this
        string lockFile = Path.Combine(_run, RunLock.FileName);
        // A shell opens the file, flock(1) locks that open file, the shell writes its stand-in identity and becomes sleep:
        // one process holding the lock as a training would.
        const string Script = "exec 9>>\"$0\" && flock -x 9 && " +
            "printf 'pid: 99999\\nhost: elsewhere\\nstarted_utc: 2026-01-01T00:00:00Z\\n' > \"$0\" && exec sleep 60";
        using var holder = Process.Start(new ProcessStartInfo("sh", ["-c", Script, lockFile]))!;
        try
        {
            // Until the shell holds the lock and has written who it is: then we are refused, and told so.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            RunLockedException? refused = null;
            while (refused?.Holder?.Contains("99999") != true && DateTime.UtcNow < deadline)
            {
                try { RunLock.Acquire(_run).Dispose(); }
                catch (RunLockedException e) { refused = e; }
                Thread.Sleep(20);
            }
            Assert.NotNull(refused);
            Assert.Equal("process 99999 on elsewhere since 2026-01-01T00:00:00Z", refused.Holder);
        }
        finally
        {
            holder.Kill(); // SIGKILL: the holder gets no chance to release anything
            holder.WaitForExit();
        }

        using var taken = RunLock.Acquire(_run);
        Assert.StartsWith($"process {Environment.ProcessId} on {Environment.MachineName}", RunLock.ReadHolder(_run));
    }
}
