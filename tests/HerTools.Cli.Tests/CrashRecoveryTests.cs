using System.Diagnostics;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;

namespace HerTools.Cli.Tests;

/// <summary>
/// Crash tests in the spirit of SQLite's: the installed tool is killed (or its write fails) at each named write point
/// through the test-only HERTOOLS_FAULT switch, and SIGKILLed at random moments of a longer run; every time the logs
/// parse, the latest checkpoint verifies, and <c>train --resume RUN</c> continues to the end with the rows of an
/// uninterrupted run.
/// </summary>
public class CrashRecoveryTests(CrashRecoveryTests.UninterruptedRun uninterrupted) : IClassFixture<CrashRecoveryTests.UninterruptedRun>
{
    /// <summary>The fault-injection run trained once without a fault: what every resumed run must equal.</summary>
    public sealed class UninterruptedRun : IDisposable
    {
        private readonly TempDirectory _dir = new();

        public UninterruptedRun()
        {
            RunDirectory = _dir.Combine("crash");
            var whole = InstalledTool.Run(Patience, null, FaultRun(RunDirectory));
            Assert.True(whole.ExitCode == 0, whole.ToString());
        }

        public string RunDirectory { get; }

        public void Dispose() => _dir.Dispose();
    }

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    // threads 1: a resumed run equals an uninterrupted one bit for bit. keep_last 1: every checkpoint after the first
    // deletes its predecessor, so retention runs too.
    private static string[] FaultRun(string runDir) =>
        ["train", "--preset", "point_goal", "--total-timesteps", "400", "--set", "threads=1", "--set", "run_id=crash",
         "--set", "ddpg.learning_starts=100", "--set", "eval.eval_freq=100", "--set", "eval.n_eval_episodes=2", "--set", "log.log_interval=50",
         "--set", "checkpoint.checkpoint_freq=100", "--set", "checkpoint.keep_last=1", "--output", runDir];

    private static (List<ProgressRow> Progress, List<EvalRow> Evals) Logs(string runDir) =>
        (CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir)).Select(r => r.WithoutWallClock()).ToList(),
         CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(runDir)));

    private static void AssertIntact(string runDir)
    {
        if (File.Exists(RunFiles.ProgressPath(runDir)))
        {
            var (progress, evals) = Logs(runDir); // they parse
            var steps = progress.Select(r => r.Timesteps).ToList();
            Assert.Equal(steps.Distinct().Order(), steps);
            var evalSteps = evals.Select(r => r.Timesteps).ToList();
            Assert.Equal(evalSteps.Distinct().Order(), evalSteps);
        }
        if (Directory.Exists(runDir) && CheckpointStore.Latest(runDir) is { } latest)
            Assert.Equal(latest.Step, CheckpointStore.Open(latest.Path).Info.Step); // every hash checks out
    }

    // The n-th arrival is chosen to land mid-run: the second checkpoint's files, the first retention, a later log row.
    [Theory]
    [InlineData("CheckpointFile:6:kill")]
    [InlineData("CheckpointFile:2:throw")]
    [InlineData("CheckpointManifest:2:kill")]
    [InlineData("CheckpointRename:2:kill")]
    [InlineData("CheckpointRename:3:throw")]
    [InlineData("RetentionDelete:1:kill")]
    [InlineData("LogAppend:7:kill")]
    [InlineData("LogAppend:2:kill")]
    [InlineData("SmallFileRename:1:kill")]
    public void A_fault_at_a_write_point_leaves_a_run_that_resumes_to_the_rows_of_an_uninterrupted_one(string fault)
    {
        using var dir = new TempDirectory();
        string reference = uninterrupted.RunDirectory, faulty = dir.Combine("crash");

        var failed = InstalledTool.Run(Patience, new Dictionary<string, string> { ["HERTOOLS_FAULT"] = fault }, FaultRun(faulty));
        Assert.True(failed.ExitCode != 0, $"the fault {fault} never fired\n{failed}");
        AssertIntact(faulty);

        // A kill before config.yaml leaves a folder with nothing of a run: the same command starts it; otherwise resume.
        bool started = File.Exists(RunFiles.ConfigPath(faulty));
        var resumed = started ? InstalledTool.Run("train", "--resume", faulty) : InstalledTool.Run(Patience, null, FaultRun(faulty));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        AssertIntact(faulty);
        Assert.Equal(Logs(reference).Progress, Logs(faulty).Progress);
        Assert.Equal(Logs(reference).Evals, Logs(faulty).Evals);
        Assert.Equal(400, CheckpointStore.Latest(faulty)!.Step);
    }

    /// <summary>
    /// A 30,000-step run SIGKILLed at 20 random moments (the first before its first step checkpoint), each time resumed
    /// with <c>train --resume RUN</c>. No gradient updates (learning_starts beyond the budget) keep the steps fast: the
    /// test is about the run folder, not learning.
    /// </summary>
    [Fact]
    public void Killed_at_20_random_moments_a_30000_step_run_resumes_each_time_to_intact_logs()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        const long Budget = 30_000, LogInterval = 500, CheckpointFreq = 3_000;
        string[] fresh = ["train", "--preset", "point_goal", "--total-timesteps", Budget.ToString(), "--set", "threads=1",
            "--set", $"ddpg.learning_starts={Budget + 1}", "--set", "eval.eval_freq=3000", "--set", "eval.n_eval_episodes=2",
            "--set", $"log.log_interval={LogInterval}", "--set", $"checkpoint.checkpoint_freq={CheckpointFreq}", "--set", "checkpoint.keep_last=2",
            "--output", runDir];
        var random = new Random(20261204);
        // Moments by logged step: the first before the first checkpoint, the rest spread over the run.
        var moments = new List<long> { LogInterval * random.Next(1, (int)(CheckpointFreq / LogInterval)) };
        moments.AddRange(Enumerable.Range(0, 19).Select(_ => (long)random.Next(1, (int)Budget)).Order());

        int kills = 0;
        foreach (long moment in moments)
        {
            bool started = File.Exists(RunFiles.ConfigPath(runDir));
            using var process = Process.Start(InstalledTool.StartInfo(null, started ? ["train", "--resume", runDir] : fresh))!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            try
            {
                var deadline = DateTime.UtcNow + Patience;
                while (!process.HasExited && DateTime.UtcNow < deadline && LatestLoggedStep(runDir) < moment) Thread.Sleep(1);
                Thread.Sleep(random.Next(0, 30));
            }
            finally
            {
                if (!process.HasExited) { process.Kill(); kills++; } // SIGKILL
                process.WaitForExit();
            }
            AssertIntact(runDir);
            if (LatestLoggedStep(runDir) >= Budget && CheckpointStore.Latest(runDir)?.Step == Budget) break;
        }
        Assert.True(kills >= 15, $"only {kills} of the 20 kills landed before the run ended");

        var last = InstalledTool.Run("train", "--resume", runDir);
        Assert.True(last.ExitCode == 0, last.ToString());
        AssertIntact(runDir);
        var (progress, evals) = Logs(runDir);
        Assert.Equal(Enumerable.Range(1, (int)(Budget / LogInterval)).Select(i => i * LogInterval), progress.Select(r => r.Timesteps));
        Assert.Equal(Enumerable.Range(1, 10).Select(i => i * 3_000L), evals.Select(r => r.Timesteps));
        Assert.Equal(Budget, CheckpointStore.Latest(runDir)!.Step);
    }

    private static long LatestLoggedStep(string runDir)
    {
        string path = RunFiles.ProgressPath(runDir);
        try { return File.Exists(path) ? CsvLog<ProgressRow>.ReadAll(path).Select(r => r.Timesteps).DefaultIfEmpty(0).Max() : 0; }
        catch (IOException) { return 0; } // set aside at that very moment by a restart
    }
}
