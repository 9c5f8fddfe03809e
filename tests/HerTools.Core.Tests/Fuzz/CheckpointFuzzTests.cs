using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Randomness;
using HerTools.Core.Training;
using Xunit.Abstractions;

namespace HerTools.Core.Tests.Fuzz;

/// <summary>
/// Thousands of damaged checkpoints, each whole as far as its manifest goes (lengths and SHA-256 recomputed, as anyone
/// can): resuming from each must end in a <see cref="CheckpointException"/> (one line, naming a file of the
/// checkpoint) or in a run that trains on to its budget, within a time bound, never in another exception, a hang or
/// a crash of this process. The seed is printed; HERTOOLS_FUZZ_SEED and HERTOOLS_FUZZ_CASES repeat or widen a run.
/// </summary>
public sealed class CheckpointFuzzTests(CheckpointFuzzTests.Pristine pristine, ITestOutputHelper output) : IClassFixture<CheckpointFuzzTests.Pristine>
{
    private const ulong DefaultSeed = 0x21F0221;
    private const int DefaultCases = 3000;
    private static readonly TimeSpan CaseLimit = TimeSpan.FromSeconds(20);

    /// <summary>A tiny run's last checkpoint (mid-episode, buffer wrapped around), and its files' bytes.</summary>
    public sealed class Pristine : IDisposable
    {
        public const long Step = 250;
        // In memory where there is such a folder: every trained case saves a checkpoint, and each save forces its files
        // to disk, which on a busy disk costs more than the case itself.
        public string Root { get; } = Path.Combine(Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), $"hertools-fuzz-{Guid.NewGuid():N}");
        public string CheckpointPath { get; }
        public Dictionary<string, byte[]> Files { get; } = [];

        public Pristine()
        {
            var result = HerTrainer.TrainHer(Config(Step), Path.Combine(Root, "trained"));
            CheckpointPath = result.LastCheckpointPath!;
            foreach (string file in Directory.GetFiles(CheckpointPath)) Files[Path.GetFileName(file)] = File.ReadAllBytes(file);
        }

        // 20-step episodes: step 250 is 10 steps into one. A 100-transition buffer has wrapped around by then. Networks,
        // batch and evaluation as small as they go, so a load and a few steps cost milliseconds.
        public static RunConfig Config(long totalTimesteps) => ConfigLoader.LoadPreset("point_goal",
        [
            "threads=1", "seed=11", $"total_timesteps={totalTimesteps}", "env.max_episode_steps=20",
            "ddpg.hidden_sizes=[8]", "ddpg.batch_size=8", "ddpg.buffer_size=100", "ddpg.learning_starts=40",
            "eval.eval_freq=0", "eval.n_eval_episodes=1", "log.log_interval=50", "checkpoint.keep_last=1",
        ]);

        public void Dispose()
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
    }

    [Theory]
    [InlineData("agent.bin")]
    [InlineData("state.bin")]
    [InlineData("replay.bin")]
    [InlineData("checkpoint.json")]
    public async Task Every_damaged_file_is_refused_cleanly_or_trains_on(string fileName)
    {
        ulong seed = ulong.TryParse(Environment.GetEnvironmentVariable("HERTOOLS_FUZZ_SEED"), out ulong s) ? s : DefaultSeed;
        int cases = int.TryParse(Environment.GetEnvironmentVariable("HERTOOLS_FUZZ_CASES"), out int n) ? n : DefaultCases;
        output.WriteLine($"fuzzing {fileName}: seed {seed} (HERTOOLS_FUZZ_SEED), {cases} cases (HERTOOLS_FUZZ_CASES)");
        Console.WriteLine($"CheckpointFuzzTests: {fileName}: seed {seed}, {cases} cases");

        var progress = new FuzzProgress();
        var run = Task.Run(() => Fuzz(fileName, seed, cases, progress));
        // A hang must fail the test, not the suite: the watchdog gives up on the case that is running.
        while (!run.IsCompleted)
        {
            await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(1)));
            var current = progress.Current;
            if (!run.IsCompleted && current is not null && current.Value.Clock.Elapsed > CaseLimit)
                Assert.Fail($"seed {seed}, {fileName} case {current.Value.Index} ({current.Value.Description}) still runs after {CaseLimit.TotalSeconds} s");
        }
        var report = await run;

        output.WriteLine($"{report.Refused} refused, {report.Trained} trained on ({report.TrainedTime.TotalSeconds:0.0} s); slowest case " +
            $"{report.Slowest.TotalMilliseconds:0} ms; {report.Elapsed.TotalSeconds:0.0} s in all");
        foreach (var (kind, count) in report.RefusalKinds.OrderByDescending(k => k.Value)) output.WriteLine($"  refused as {kind}: {count}");
        Assert.True(report.Failures.Count == 0,
            $"seed {seed}: {report.Failures.Count} of {cases} damaged {fileName} files ended badly; the first ones:\n" + string.Join("\n",
                report.Failures.Take(10)));
        // Both outcomes must occur, or the mutations are too gentle or too rough to test anything.
        Assert.True(report.Refused > cases / 20, $"seed {seed}: only {report.Refused} of {cases} refused");
        Assert.True(fileName == "checkpoint.json" || report.Trained > cases / 50, $"seed {seed}: only {report.Trained} of {cases} trained on");
    }

    private sealed class FuzzProgress
    {
        public volatile Box<(int Index, string Description, Stopwatch Clock)>? Boxed;
        public (int Index, string Description, Stopwatch Clock)? Current => Boxed?.Value;
    }

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    private sealed record FuzzReport(int Refused, int Trained, List<string> Failures, Dictionary<CheckpointProblem, int> RefusalKinds, TimeSpan Slowest,
        TimeSpan Elapsed, TimeSpan TrainedTime);

    private FuzzReport Fuzz(string fileName, ulong seed, int cases, FuzzProgress progress)
    {
        var rng = new Rng(seed);
        byte[] pristineBytes = pristine.Files[fileName];
        var fields = fileName switch
        {
            "agent.bin" => FileLayout.Agent(pristineBytes),
            "state.bin" => FileLayout.State(pristineBytes),
            "replay.bin" => FileLayout.Replay(pristineBytes),
            _ => [],
        };
        string work = Path.Combine(pristine.Root, "fuzz-" + Path.GetFileNameWithoutExtension(fileName));
        string checkpoint = Path.Combine(work, "source", "checkpoints", $"step_{Pristine.Step}");
        string branch = Path.Combine(work, "branch");
        Directory.CreateDirectory(checkpoint);
        foreach (var (name, bytes) in pristine.Files) File.WriteAllBytes(Path.Combine(checkpoint, name), bytes);
        var config = Pristine.Config(Pristine.Step + 15);

        int refused = 0, trained = 0;
        var trainedTime = TimeSpan.Zero;
        var failures = new List<string>();
        var kinds = new Dictionary<CheckpointProblem, int>();
        var slowest = TimeSpan.Zero;
        var all = Stopwatch.StartNew();
        for (int i = 0; i < cases; i++)
        {
            var mutation = fileName == CheckpointStore.ManifestFileName
                ? Mutator.Manifest(pristineBytes, rng)
                : Mutator.Binary(pristineBytes, fields, rng, isReplay: fileName == "replay.bin");
            Install(checkpoint, fileName, mutation.Bytes);
            if (Directory.Exists(branch)) Directory.Delete(branch, recursive: true);

            var clock = Stopwatch.StartNew();
            progress.Boxed = new((i, mutation.Description, clock));
            // A manifest is also read without loading anything, to list a run's checkpoints: that must refuse as cleanly.
            if (fileName == CheckpointStore.ManifestFileName)
            {
                try { CheckpointStore.List(Path.GetDirectoryName(Path.GetDirectoryName(checkpoint))!); }
                catch (CheckpointException) { }
                catch (Exception e) { failures.Add($"case {i} ({mutation.Description}): listing: {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}"); }
            }
            try
            {
                var result = HerTrainer.TrainHer(config.Clone(), branch, resumeFrom: checkpoint);
                if (result.Timesteps != config.TotalTimesteps)
                    failures.Add($"case {i} ({mutation.Description}): trained to {result.Timesteps}, not {config.TotalTimesteps}");
                else
                {
                    trained++;
                    trainedTime += clock.Elapsed;
                }
            }
            catch (CheckpointException e)
            {
                refused++;
                kinds[e.Kind] = kinds.GetValueOrDefault(e.Kind) + 1;
                if (e.Message.Contains('\n') || e.Message.Contains('\r'))
                    failures.Add($"case {i} ({mutation.Description}): a refusal of more than one line: {e.Message}");
                else if (e.FileName is null)
                    failures.Add($"case {i} ({mutation.Description}): a refusal that names no file of the checkpoint: {e.Message}");
            }
            catch (Exception e)
            {
                failures.Add($"case {i} ({mutation.Description}): {e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}");
            }
            clock.Stop();
            if (clock.Elapsed > slowest) slowest = clock.Elapsed;
            if (clock.Elapsed > CaseLimit) failures.Add($"case {i} ({mutation.Description}): took {clock.Elapsed.TotalSeconds:0.0} s");
        }
        progress.Boxed = null;
        return new FuzzReport(refused, trained, failures, kinds, slowest, all.Elapsed, trainedTime);
    }

    /// <summary>Puts the damaged file in place and, unless it is the manifest itself, a manifest that vouches for it.</summary>
    private void Install(string checkpoint, string fileName, byte[] bytes)
    {
        File.WriteAllBytes(Path.Combine(checkpoint, fileName), bytes);
        if (fileName == CheckpointStore.ManifestFileName) return;
        var manifest = JsonNode.Parse(pristine.Files[CheckpointStore.ManifestFileName])!.AsObject();
        foreach (var entry in manifest["files"]!.AsArray())
        {
            if ((string)entry!["name"]! != fileName) continue;
            entry["bytes"] = bytes.Length;
            entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData(bytes));
        }
        File.WriteAllText(Path.Combine(checkpoint, CheckpointStore.ManifestFileName), manifest.ToJsonString());
    }
}
