using System.Diagnostics;
using System.Runtime.InteropServices;
using HerTools.Core.Checkpoints;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Tests;

/// <summary>The run-folder defects seen with the installed tool: two writers of one run, a run killed before its first
/// checkpoint, a loose checkpoint, a budget below the checkpoint, a signal ignored by eval, an unreadable status.json,
/// and a Slurm resubmission while the queue cannot be read.</summary>
public partial class RunFolderSafetyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    // A run that trains, evaluates and checkpoints in a second or two.
    private static readonly string[] Tiny = ["--set", "ddpg.learning_starts=100", "--set", "eval.eval_freq=100", "--set", "eval.n_eval_episodes=2",
        "--set", "log.log_interval=100"];

    private static string TrainTiny(TempDirectory dir, long steps = 200)
    {
        string runDir = dir.Combine("run");
        var run = Cli.Run(["train", "--preset", "point_goal", "--total-timesteps", steps.ToString(), .. Tiny, "--output", runDir]);
        Assert.True(run.ExitCode == 0, run.ToString());
        return runDir;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [Fact]
    public void A_second_resume_of_a_run_in_training_is_refused_at_once_naming_the_first()
    {
        using var dir = new TempDirectory();
        string runDir = TrainTiny(dir);
        using var first = Process.Start(InstalledTool.StartInfo(null, "train", "--resume", runDir, "--total-timesteps", "10000000"))!;
        var firstOut = new List<string>();
        var training = new ManualResetEventSlim();
        first.OutputDataReceived += (_, e) => { if (e.Data?.Contains("steps/s") == true) training.Set(); };
        first.ErrorDataReceived += (_, _) => { };
        first.BeginOutputReadLine();
        first.BeginErrorReadLine();
        try
        {
            Assert.True(training.Wait(Patience), "the first resume never reported progress");
            var clock = Stopwatch.StartNew();
            var second = InstalledTool.Run(Patience, null, "train", "--resume", runDir, "--total-timesteps", "10000000");
            Assert.True(second.ExitCode == ExitCodes.RuntimeFailure, second.ToString());
            Assert.Contains($"is being written by process {first.Id} on {Environment.MachineName}", second.Error);
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"refused only after {clock.Elapsed}");
        }
        finally
        {
            first.Kill();
            first.WaitForExit();
        }
        // The first was killed holding the lock: the run is taken over and continues.
        var after = InstalledTool.Run(Patience, null, "train", "--resume", runDir, "--total-timesteps", "300");
        Assert.True(after.ExitCode == 0, after.ToString());
    }

    [Fact]
    public void A_run_killed_before_its_first_checkpoint_resumes_from_the_start_with_its_partial_logs_set_aside()
    {
        using var dir = new TempDirectory();
        string runDir = dir.Combine("run");
        // checkpoint_freq 0 (the presets' setting): the only checkpoint comes at the end. Killed at the third log row.
        var killed = InstalledTool.Run(Patience, new Dictionary<string, string> { ["HERTOOLS_FAULT"] = "LogAppend:3:kill" },
            ["train", "--preset", "point_goal", "--total-timesteps", "300", .. Tiny, "--output", runDir]);
        Assert.NotEqual(0, killed.ExitCode);
        Assert.Null(CheckpointStore.Latest(runDir));
        var partialRows = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir)).Select(r => r.Timesteps).ToList();
        Assert.NotEmpty(partialRows);

        var resumed = InstalledTool.Run("train", "--resume", runDir);

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("never reached a checkpoint", resumed.Out);
        Assert.Equal([100L, 200L, 300L], CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(runDir)).Select(r => r.Timesteps));
        string aside = Assert.Single(Directory.GetDirectories(runDir, "partial-*"));
        Assert.Equal(partialRows, CsvLog<ProgressRow>.ReadAll(Path.Combine(aside, "progress.csv")).Select(r => r.Timesteps));
        Assert.Equal(300, CheckpointStore.Latest(runDir)!.Step);
    }

    [Fact]
    public void A_checkpoint_copied_out_of_its_run_resumes_only_with_an_explicit_output()
    {
        using var dir = new TempDirectory();
        string runDir = TrainTiny(dir);
        string loose = dir.Combine("copies", "mine", "step_200");
        Directory.CreateDirectory(loose);
        foreach (string file in Directory.GetFiles(CheckpointStore.Latest(runDir)!.Path)) File.Copy(file, Path.Combine(loose, Path.GetFileName(file)));

        var refused = InstalledTool.Run("train", "--resume", loose, "--total-timesteps", "300");
        Assert.True(refused.ExitCode == ExitCodes.BadUsage, refused.ToString());
        Assert.Contains("not inside a run's checkpoints/ folder", refused.Error);
        Assert.Equal(["mine"], Directory.GetFileSystemEntries(dir.Combine("copies")).Select(Path.GetFileName));

        var branched = InstalledTool.Run("train", "--resume", loose, "--total-timesteps", "300", "--output", dir.Combine("branch"));
        Assert.True(branched.ExitCode == 0, branched.ToString());
        Assert.Equal(300, CheckpointStore.Latest(dir.Combine("branch"))!.Step);
    }

    [Fact]
    public void A_resume_to_a_budget_below_the_checkpoint_is_refused_and_leaves_the_checkpoint_alone()
    {
        using var dir = new TempDirectory();
        string runDir = TrainTiny(dir);
        var before = CheckpointStore.Latest(runDir)!;

        var run = InstalledTool.Run("train", "--resume", runDir, "--total-timesteps", "150");

        Assert.True(run.ExitCode == ExitCodes.BadUsage, run.ToString());
        Assert.Contains("key 'total_timesteps': is 150, below step 200", run.Error);
        Assert.Equal(before, CheckpointStore.Latest(runDir));
    }

    [Fact]
    public async Task Eval_stops_on_SIGTERM_with_exit_code_130()
    {
        using var dir = new TempDirectory();
        string runDir = TrainTiny(dir);
        using var eval = Process.Start(InstalledTool.StartInfo(null, "eval", runDir, "--episodes", "10000000"))!;
        var stderr = eval.StandardError.ReadToEndAsync();
        var stdout = eval.StandardOutput.ReadToEndAsync();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(5)); // loaded and evaluating: ten million episodes take hours
            if (eval.HasExited) Assert.Fail($"eval ended early: {await stderr}");
            Assert.Equal(0, Kill(eval.Id, 15));
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await eval.WaitForExitAsync(patience.Token);
        }
        finally
        {
            if (!eval.HasExited) eval.Kill();
            await eval.WaitForExitAsync();
        }
        Assert.True(eval.ExitCode == ExitCodes.Stopped, $"exit {eval.ExitCode}\n{await stdout}\n{await stderr}");
    }

    [Fact]
    public void Sweep_status_reports_an_empty_status_json_as_that_runs_problem_only()
    {
        using var dir = new TempDirectory();
        string sweepFile = dir.WriteFile("sweep.yaml", "preset: point_goal\ngrid:\n  her.her_ratio: [0.5, 0.8]\nseeds: [1]\n");
        var folder = SweepFolder.Create(SweepLoader.LoadFile(sweepFile), dir.Combine("sweep"));
        string broken = folder.RunDirectory(folder.Runs[0]);
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, SweepRunRecord.FileName), "");

        var status = InstalledTool.Run("sweep", "status", folder.Directory, "--json");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("status.json: not a readable run status", status.Out);
        Assert.Contains("\"pending\"", status.Out.ToLowerInvariant());
    }

    [Fact]
    public void Sweep_resume_on_Slurm_submits_nothing_while_squeue_does_not_answer()
    {
        if (!OperatingSystem.IsLinux()) return; // fake scheduler commands are shell scripts
        RunWithFakeScheduler();
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RunWithFakeScheduler()
    {
        using var dir = new TempDirectory();
        string sweepFile = dir.WriteFile("sweep.yaml", "preset: point_goal\ngrid:\n  her.her_ratio: [0.5, 0.8]\nseeds: [1]\n");
        var folder = SweepFolder.Create(SweepLoader.LoadFile(sweepFile), dir.Combine("sweep"));
        Directory.CreateDirectory(Path.Combine(folder.Directory, "slurm"));
        File.WriteAllText(Path.Combine(folder.Directory, "slurm", "jobs.txt"), "4242\t0-1\t2026-01-01T00:00:00Z\n");
        // squeue fails as it does while the controller restarts; sbatch records that it was called.
        string bin = dir.Combine("bin");
        Directory.CreateDirectory(bin);
        string submitted = dir.Combine("sbatch-called");
        WriteScript(Path.Combine(bin, "squeue"), "echo 'squeue: error: slurm_load_jobs error: Socket timed out' >&2\nexit 1\n");
        WriteScript(Path.Combine(bin, "sinfo"), "echo debug\n");
        WriteScript(Path.Combine(bin, "sbatch"), $"touch '{submitted}'\necho 999\n");
        var path = new Dictionary<string, string> { ["PATH"] = bin + ":" + Environment.GetEnvironmentVariable("PATH") };

        var run = InstalledTool.Run(Patience, path, "sweep", "resume", folder.Directory, "--backend", "slurm");

        Assert.True(run.ExitCode == ExitCodes.RuntimeFailure, run.ToString());
        Assert.Contains("squeue does not answer", run.Error);
        Assert.False(File.Exists(submitted), "sbatch was called");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void WriteScript(string path, string body)
    {
        File.WriteAllText(path, "#!/bin/sh\n" + body);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
