using System.Globalization;
using System.Diagnostics;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Tests;

/// <summary>
/// The Slurm backend against a real Slurm (no mocks): start one with <c>scripts/slurm-local.sh</c> (as root), as
/// <c>.ci/run</c> does. Without a Slurm that answers, every test here fails saying so.
/// </summary>
[Collection(nameof(SweepSlurmTests))]
public sealed class SweepSlurmTests : IDisposable
{
    private const string Tiny = """
        preset: point_goal
        set:
          total_timesteps: 400
          ddpg.learning_starts: 100
          ddpg.batch_size: 32
          ddpg.hidden_sizes: [16, 16]
          eval.eval_freq: 200
          eval.n_eval_episodes: 5
          log.log_interval: 100
        slurm: {max_concurrent: 2, time: '10:00', signal_seconds: 30}
        """;

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);
    private readonly TempDirectory _dir = new();

    public SweepSlurmTests()
    {
        if (!SlurmSweepRunner.IsAvailable())
            throw new InvalidOperationException("these tests need a running Slurm ('sinfo' must answer): run scripts/slurm-local.sh as root first");
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_2x2_sweep_finishes_on_Slurm_with_4_done_runs_and_the_local_sweep_csv()
    {
        string file = _dir.WriteFile("s.yaml", Tiny + "\ngrid:\n  her.her_ratio: [0.0, 0.8]\nseeds: [1, 2]\n");
        var submitted = Cli.Run("sweep", "run", file, "--output", _dir.Combine("slurm"), "--backend", "slurm");
        Assert.True(submitted.ExitCode == 0, submitted.ToString());
        var statuses = WaitUntilSettled(_dir.Combine("slurm"));
        Assert.All(statuses, s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.Equal(4, statuses.Count);

        var local = Cli.Run("sweep", "run", file, "--output", _dir.Combine("local"), "--backend", "local");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(WithoutWallClock(_dir.Combine("local", "sweep.csv")), WithoutWallClock(_dir.Combine("slurm", "sweep.csv")));
    }

    [Fact]
    public void A_requeued_task_resumes_from_its_checkpoint_and_ends_as_an_uninterrupted_run()
    {
        string file = _dir.WriteFile("s.yaml", Tiny.Replace("total_timesteps: 400", "total_timesteps: 30000").Replace("eval.eval_freq: 200",
            "eval.eval_freq: 5000")
            .Replace("log.log_interval: 100", "log.log_interval: 500") + "\nseeds: [7]\n");
        string sweep = _dir.Combine("slurm");
        Assert.Equal(0, Cli.Run("sweep", "run", file, "--output", sweep, "--backend", "slurm").ExitCode);
        var folder = SweepFolder.Open(sweep);
        string run = folder.RunDirectory(folder.Runs[0]);
        string job = SlurmSweepRunner.JobIds(folder).Single() + "_0";

        // Requeue once the run has logged a few rows: it gets SIGTERM, checkpoints, and starts again.
        WaitFor(() => CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(run)).Count >= 3, "the run to log 3 rows");
        Slurm("scontrol", "requeue", job);
        WaitFor(() => SweepRunRecord.Read(run)?.State == SweepRunState.Stopped, "the requeued task to checkpoint and stop");
        long stoppedAt = folder.ReadRunStatus(folder.Runs[0]).Timesteps;
        // A requeued job waits about two minutes before it may start; let it start now. Only once it is back in the
        // queue: until the requeue completes, the update is accepted and then overwritten by the requeue's own delay.
        WaitFor(() => JobState(job) == "PENDING" && Slurm("scontrol", "update", $"jobid={job}", "StartTime=now") == 0, "the requeued task to be pending");
        var status = WaitUntilSettled(sweep).Single();

        Assert.Equal(SweepRunState.Done, status.State);
        var record = SweepRunRecord.Read(run)!;
        Assert.Equal(2, record.Attempts);
        Assert.Equal(Path.Combine(run, "checkpoints", $"step_{stoppedAt}"), record.ResumedFrom);
        Assert.InRange(stoppedAt, 1500, 29_999);

        Assert.Equal(0, Cli.Run("sweep", "run", file, "--output", _dir.Combine("local"), "--backend", "local").ExitCode);
        string alone = SweepFolder.Open(_dir.Combine("local")).RunDirectory(folder.Runs[0]);
        Assert.Equal(Rows(alone), Rows(run));
        Assert.Equal(File.ReadAllBytes(Path.Combine(alone, "checkpoints", "step_30000", "agent.bin")),
                     File.ReadAllBytes(Path.Combine(run, "checkpoints", "step_30000", "agent.bin")));
    }

    [Fact]
    public void A_run_with_a_bad_override_fails_while_the_others_finish()
    {
        string file = _dir.WriteFile("s.yaml", Tiny + "\ngrid:\n  her.her_ratio: [0.5, 1.5]\nseeds: [1]\n");
        Assert.Equal(0, Cli.Run("sweep", "run", file, "--output", _dir.Combine("slurm"), "--backend", "slurm").ExitCode);
        var statuses = WaitUntilSettled(_dir.Combine("slurm"));
        Assert.Equal([SweepRunState.Done, SweepRunState.Failed], statuses.Select(s => s.State));
        Assert.Equal("override 'her.her_ratio=1.5': key 'her.her_ratio': must be in [0, 1], got 1.5", statuses[1].Error);
    }

    [Fact]
    public void A_bad_sweep_file_is_refused_before_anything_is_submitted()
    {
        string file = _dir.WriteFile("s.yaml", Tiny + "\ngrid:\n  her.her_rato: [0.5]\n");
        var run = Cli.Run("sweep", "run", file, "--output", _dir.Combine("slurm"), "--backend", "slurm");
        Assert.Equal(ExitCodes.BadUsage, run.ExitCode);
        Assert.Contains($"{file}:", run.Error);
        Assert.Contains("grid.her.her_rato", run.Error);
        Assert.False(Directory.Exists(_dir.Combine("slurm")));
    }

    [Fact]
    public void Stop_cancels_the_array_and_resume_finishes_it_from_the_checkpoints()
    {
        string file = _dir.WriteFile("s.yaml", Tiny.Replace("total_timesteps: 400", "total_timesteps: 30000").Replace("log.log_interval: 100",
            "log.log_interval: 500")
            + "\nseeds: [1, 2, 3]\n");
        string sweep = _dir.Combine("slurm");
        Assert.Equal(0, Cli.Run("sweep", "run", file, "--output", sweep, "--backend", "slurm").ExitCode);
        var folder = SweepFolder.Open(sweep);
        WaitFor(() => CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(folder.RunDirectory(folder.Runs[0]))).Count >= 2, "the first run to log");
        var stop = Cli.Run("sweep", "stop", sweep);
        Assert.True(stop.ExitCode == 0, stop.ToString());
        var stopped = WaitUntilSettled(sweep);
        Assert.Contains(stopped, s => s.State == SweepRunState.Stopped);
        Assert.DoesNotContain(stopped, s => s.State is SweepRunState.Done or SweepRunState.Failed);

        Assert.Equal(0, Cli.Run("sweep", "resume", sweep).ExitCode);
        Assert.All(WaitUntilSettled(sweep), s => Assert.Equal(SweepRunState.Done, s.State));
        Assert.All(SweepFolder.Open(sweep).ReadStatus(), s => Assert.Equal(30000, s.Timesteps));
    }

    [Fact]
    public void A_search_submits_each_rung_as_a_job_array_once_the_rung_before_is_decided_and_ends_as_the_local_search()
    {
        // 8 configurations x 2 seeds, rungs of 200, 400 and 800 steps, the best half promoted: arrays of 16, 8 and 4 tasks.
        string file = _dir.WriteFile("search.yaml", Tiny.Replace("  total_timesteps: 400\n", "").Replace("eval.eval_freq: 200", "eval.eval_freq: 100")
            + "\ngrid:\n  ddpg.actor_lr: [0.0003, 0.003]\n  her.n_sampled_goal: [1, 4]\n  ddpg.gamma: [0.9, 0.95]\nseeds: [1, 2]\n"
            + "search:\n  rungs: [200, 400, 800]\n  reduction_factor: 2\n");
        string sweep = _dir.Combine("slurm");

        // One step of the controller, then a controller that drives the rest (what a later 'sweep resume' does).
        var first = Cli.Run("sweep", "run", file, "--output", sweep, "--backend", "slurm", "--no-wait");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("(16 runs)", first.Out);
        using var patience = new CancellationTokenSource(Patience);
        var rest = Cli.Run(patience.Token, "sweep", "resume", sweep, "--backend", "slurm", "--poll-seconds", "1");
        Assert.True(rest.ExitCode == 0 && !patience.IsCancellationRequested, rest.ToString());
        Assert.Contains("Chosen: ", rest.Out);

        var arrays = File.ReadAllLines(Path.Combine(sweep, "slurm", "jobs.txt")).Select(l => ArrayCount(l.Split('\t')[1])).ToList();
        Assert.Equal([16, 8, 4], arrays);

        var local = Cli.Run("sweep", "run", file, "--output", _dir.Combine("local"), "--backend", "local");
        Assert.True(local.ExitCode == 0, local.ToString());
        Assert.Equal(File.ReadAllText(_dir.Combine("local", "search.json")), File.ReadAllText(Path.Combine(sweep, "search.json")));
        var slurmFolder = SweepFolder.Open(sweep);
        var localFolder = SweepFolder.Open(_dir.Combine("local"));
        foreach (var run in slurmFolder.Runs)
            Assert.Equal(CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(localFolder.RunDirectory(run))),
                CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(slurmFolder.RunDirectory(run))));
    }

    /// <summary>How many indices an array spec such as <c>0-3,6,8-9</c> holds.</summary>
    private static int ArrayCount(string spec) => spec.Split('%')[0].Split(',').Sum(part =>
        part.Split('-') is [var low, var high] ? int.Parse(high, CultureInfo.InvariantCulture) - int.Parse(low, CultureInfo.InvariantCulture) + 1 : 1);

    /// <summary>Waits until no task of the sweep is queued or running, then returns the statuses (sweep.csv rebuilt).</summary>
    private static IReadOnlyList<SweepRunStatus> WaitUntilSettled(string sweep)
    {
        var folder = SweepFolder.Open(sweep);
        IReadOnlyList<SweepRunStatus> statuses = [];
        WaitFor(() =>
        {
            statuses = SlurmSweepRunner.Status(folder);
            return statuses.All(s => s.SchedulerState is null && s.State != SweepRunState.Running);
        }, "the sweep's tasks to end");
        return statuses;
    }

    private static void WaitFor(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Patience) throw new TimeoutException($"waited {Patience.TotalMinutes} minutes for {what}");
            Thread.Sleep(250);
        }
    }

    /// <summary>The job's state as squeue prints it (PENDING, RUNNING, ...), or "" once it has left the queue.</summary>
    private static string JobState(string job)
    {
        var start = new ProcessStartInfo("squeue", ["-h", "-j", job, "-o", "%T"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        string state = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return state;
    }

    private static int Slurm(string command, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(command, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.WaitForExit();
        return process.ExitCode;
    }

    private static List<string> WithoutWallClock(string sweepCsv) =>
        File.ReadAllLines(sweepCsv).Select(line => string.Join(",", line.Split(',').Where((_, i) => i != 9))).ToList();

    private static List<ProgressRow> Rows(string run) => CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(run)).Select(r => r.WithoutWallClock()).ToList();
}
