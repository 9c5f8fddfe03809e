using System.Diagnostics;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;

namespace HerTools.Cli.Tests;

/// <summary>
/// The real tool killed with SIGKILL (no chance to clean up) at random moments, one of them in the middle of a
/// checkpoint write: each time the logs must parse, the latest checkpoint must load, and resuming must go on
/// with no timestep logged twice or missing.
/// </summary>
public class KillSafetyTests
{
    private const long LogInterval = 100;

    private static Process StartTool(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "her-tools.dll"));
        foreach (string arg in args) start.ArgumentList.Add(arg);
        start.Environment["CI"] = "true";
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static string[] TrainArgs(string runDir, bool resume, long totalTimesteps) => resume
        ? ["train", "--resume", runDir, "--total-timesteps", totalTimesteps.ToString()]
        : ["train", "--preset", "point_goal", "--output", runDir, "--total-timesteps", totalTimesteps.ToString(),
           "--set", $"log.log_interval={LogInterval}", "--set", "checkpoint.checkpoint_freq=200", "--set", "checkpoint.keep_last=2",
           "--set", "eval.eval_freq=500", "--set", "eval.n_eval_episodes=5"];

    /// <summary>Waits until <paramref name="ready"/> holds (or the process ends), then kills the process with SIGKILL.</summary>
    private static void KillWhen(Process process, Func<bool> ready, TimeSpan extraDelay)
    {
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(120);
            // ready() is asked once per poll and its answer kept: the moment may be gone by the time it is asked again.
            bool came = false;
            while (!process.HasExited && DateTime.UtcNow < deadline && !(came = ready())) Thread.Sleep(2);
            Assert.True(came || !process.HasExited, $"the tool ended before it was killed (exit {(process.HasExited ? process.ExitCode : 0)})");
            Assert.True(came, "the moment to kill never came within 120 s");
            if (extraDelay > TimeSpan.Zero) Thread.Sleep(extraDelay);
        }
        finally
        {
            // SIGKILL on Unix; also when a check above failed or threw, so no run of a million steps outlives the test.
            if (!process.HasExited) process.Kill();
            process.WaitForExit();
        }
    }

    /// <summary>Temporary checkpoint folders (<c>.tmp-&lt;name&gt;-&lt;guid&gt;</c>): a save under way, or one a kill interrupted.</summary>
    private static HashSet<string> CheckpointWritesFound(string runDir)
    {
        string folder = RunFiles.CheckpointsPath(runDir);
        return Directory.Exists(folder) ? Directory.EnumerateDirectories(folder, ".tmp-*").Select(dir => Path.GetFileName(dir)).ToHashSet() : [];
    }

    /// <summary>A save under way that was not already there (an interrupted one stays until the next save starts).</summary>
    private static bool NewCheckpointWriteUnderway(string runDir, HashSet<string> before) =>
        CheckpointWritesFound(runDir).Any(name => !before.Contains(name));

    private static long LatestLoggedStep(string runDir)
    {
        string path = RunFiles.ProgressPath(runDir);
        return File.Exists(path) ? CsvLog<ProgressRow>.ReadAll(path).Select(r => r.Timesteps).DefaultIfEmpty(0).Max() : 0;
    }

    private static void AssertIntact(string runDir)
    {
        var steps = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir)).Select(r => r.Timesteps).ToList();
        Assert.Equal(steps.Distinct().Order(), steps); // strictly increasing: nothing twice
        var evals = CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(runDir)).Select(r => r.Timesteps).ToList();
        Assert.Equal(evals.Distinct().Order(), evals);
        var latest = CheckpointStore.Latest(runDir);
        Assert.NotNull(latest);
        Assert.Equal(latest.Step, CheckpointStore.Open(latest.Path).Info.Step); // every hash checks out
    }

    /// <summary>
    /// Resumes and kills the moment a new checkpoint write is seen under way. A write lasts milliseconds, so the kill
    /// can arrive after it finished; then the run is resumed and tried again, up to five times.
    /// </summary>
    private static void KillInsideACheckpointWrite(string runDir, long budget)
    {
        for (int attempt = 0; attempt < 5; attempt++)
        {
            long before = LatestLoggedStep(runDir);
            var writesBefore = CheckpointWritesFound(runDir);
            using (var process = StartTool(TrainArgs(runDir, resume: true, budget)))
                KillWhen(process, () => LatestLoggedStep(runDir) > before && NewCheckpointWriteUnderway(runDir, writesBefore), TimeSpan.Zero);
            bool landed = NewCheckpointWriteUnderway(runDir, writesBefore);
            AssertIntact(runDir);
            if (landed) return;
        }
        Assert.Fail("none of five kills landed inside a checkpoint write");
    }

    [Fact]
    public void Killed_at_random_moments_the_run_stays_loadable_and_resumes_without_gaps_or_repeats()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        var random = new Random(12345);
        const long budget = 1_000_000;

        // First life: killed at a random moment once a checkpoint exists.
        using (var first = StartTool(TrainArgs(runDir, resume: false, budget)))
            KillWhen(first, () => Directory.Exists(runDir) && CheckpointStore.Latest(runDir) is not null, TimeSpan.FromMilliseconds(random.Next(0, 1500)));
        AssertIntact(runDir);

        for (int life = 0; life < 4; life++)
        {
            if (life == 1)
            {
                KillInsideACheckpointWrite(runDir, budget);
                continue;
            }
            long before = LatestLoggedStep(runDir);
            using var process = StartTool(TrainArgs(runDir, resume: true, budget));
            KillWhen(process, () => LatestLoggedStep(runDir) > before, TimeSpan.FromMilliseconds(random.Next(0, 1500)));
            AssertIntact(runDir);
        }

        // Last life: finish a short budget past the latest checkpoint and check the whole history.
        long resumeStep = CheckpointStore.Latest(runDir)!.Step;
        long finalBudget = (resumeStep / LogInterval + 3) * LogInterval;
        using (var last = StartTool(TrainArgs(runDir, resume: true, finalBudget)))
        {
            Assert.True(last.WaitForExit(TimeSpan.FromSeconds(180)), "the final resume did not finish");
            Assert.Equal(ExitCodes.Success, last.ExitCode);
        }
        AssertIntact(runDir);
        var steps = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir)).Select(r => r.Timesteps).ToList();
        var expected = Enumerable.Range(1, (int)(finalBudget / LogInterval)).Select(i => i * LogInterval).ToList();
        Assert.Equal(expected, steps);
    }
}
