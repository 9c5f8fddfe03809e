using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HerTools.Core.Checkpoints;

namespace HerTools.Core.Tests;

public sealed class CheckpointStoreTests : IDisposable
{
    private readonly string _run = Path.Combine(Path.GetTempPath(), "hertools-ckpt-tests-" + Guid.NewGuid().ToString("N"), "run");
    private readonly CheckpointStore _store;

    public CheckpointStoreTests()
    {
        Directory.CreateDirectory(_run);
        _store = new CheckpointStore(_run);
    }

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_run)!, recursive: true);

    private string CheckpointsDir => Path.Combine(_run, "checkpoints");

    private static CheckpointSummary Summary(long step, double? eval = null, double? best = null, bool buffer = true) =>
        new("run-1", step, step / 50, "PointGoal-v0", "ddpg_her", eval, best, buffer);

    /// <summary>Content that differs per step and per file, so a mixed-up file is noticed.</summary>
    private static byte[] Content(long step, string fileName, int length = 100) =>
        Enumerable.Range(0, length).Select(i => (byte)((i * 7 + step + fileName.Length * 13) % 251)).ToArray();

    private static CheckpointFile FileOf(string name, byte[] content) => new(name, s => s.Write(content));

    private string SaveStep(long step, string? name = null) =>
        _store.Save(name ?? CheckpointStore.StepName(step), Summary(step),
            [FileOf("actor.bin", Content(step, "actor.bin")), FileOf("critic.bin", Content(step, "critic.bin", 300))]);

    private static byte[] ReadAll(CheckpointReader reader, string fileName)
    {
        using var stream = reader.OpenFile(fileName);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private string[] HiddenFolders() =>
        Directory.GetDirectories(CheckpointsDir).Select(Path.GetFileName).Where(n => n!.StartsWith('.')).ToArray()!;

    private static JsonObject ReadManifest(string checkpointPath) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(checkpointPath, "checkpoint.json")))!.AsObject();

    private static void WriteManifest(string checkpointPath, JsonObject manifest) =>
        File.WriteAllText(Path.Combine(checkpointPath, "checkpoint.json"), manifest.ToJsonString());

    // ---------------------------------------------------------------- save and open

    [Fact]
    public void Save_then_Open_gives_back_every_file_and_the_summary()
    {
        var summary = Summary(2000, eval: 0.25, best: 0.5) with
        {
            Extra = new Dictionary<string, string> { ["gradient_steps"] = "1950", ["next_eval_step"] = "2500" },
        };
        byte[] actor = Content(2000, "actor.bin"), empty = [];
        string path = _store.Save("step_2000", summary, [FileOf("actor.bin", actor), FileOf("empty.bin", empty)]);

        Assert.Equal(Path.Combine(CheckpointsDir, "step_2000"), path);
        var reader = CheckpointStore.Open(path);
        Assert.Equal(["actor.bin", "empty.bin"], reader.FileNames);
        Assert.Equal(actor, ReadAll(reader, "actor.bin"));
        Assert.Equal(empty, ReadAll(reader, "empty.bin"));
        Assert.True(reader.Has("actor.bin"));
        Assert.False(reader.Has("Actor.bin"));
        Assert.False(reader.Has("buffer.bin"));

        var back = reader.Summary;
        Assert.Equal(summary with { Extra = back.Extra }, back);
        Assert.Equal(summary.Extra.OrderBy(kv => kv.Key), back.Extra.OrderBy(kv => kv.Key));

        var info = reader.Info;
        Assert.Equal(path, info.Path);
        Assert.Equal("step_2000", info.Name);
        Assert.Equal(_run, info.RunDirectory);
        Assert.Equal(("run-1", 2000L, 40L, "PointGoal-v0", "ddpg_her"), (info.RunId, info.Step, info.Episode, info.EnvId, info.Algorithm));
        Assert.Equal((0.25, 0.5), (info.EvalSuccessRate, info.BestEvalSuccessRate));
        Assert.False(info.IsBest);
        Assert.True(info.HasReplayBuffer);
        Assert.Equal(1, info.FormatVersion);
        Assert.Equal(100, info.TotalBytes);
        Assert.True((DateTimeOffset.UtcNow - info.Created).Duration() < TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, info.Created.Offset);
        Assert.Empty(HiddenFolders());
    }

    [Fact]
    public void Checkpoint_json_is_snake_case_and_records_each_file_length_and_SHA256()
    {
        string path = _store.Save("step_7", Summary(7, eval: null, best: 0.75, buffer: false),
            [FileOf("abc.txt", Encoding.ASCII.GetBytes("abc"))]);

        string text = File.ReadAllText(Path.Combine(path, "checkpoint.json"));
        Assert.Contains("\n  \"format_version\": 1,", text); // indented, one field a line
        var json = JsonNode.Parse(text)!.AsObject();
        Assert.Equal("hertools.checkpoint", (string?)json["format"]);
        Assert.Equal(7, (long)json["step"]!);
        Assert.Equal(0, (long)json["episode"]!);
        Assert.Equal("PointGoal-v0", (string?)json["env_id"]);
        Assert.Equal("ddpg_her", (string?)json["algorithm"]);
        Assert.True(json.ContainsKey("eval_success_rate"));
        Assert.Null(json["eval_success_rate"]);
        Assert.Equal(0.75, (double)json["best_eval_success_rate"]!);
        Assert.False((bool)json["has_replay_buffer"]!);
        Assert.NotNull(json["created_utc"]);
        var file = json["files"]!.AsArray().Single()!.AsObject();
        Assert.Equal("abc.txt", (string?)file["name"]);
        Assert.Equal(3, (long)file["bytes"]!);
        // FIPS 180-2 test vector: SHA-256("abc").
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", (string?)file["sha256"]);
    }

    [Fact]
    public void A_file_larger_than_the_write_block_written_in_pieces_of_every_size_hashes_as_a_whole()
    {
        // 2.5 MiB across byte-at-a-time writes, small writes and one write larger than the 1 MiB block.
        byte[] content = Content(1, "buffer.bin", 5 << 19);
        void Write(Stream s)
        {
            for (int i = 0; i < 1000; i++) s.WriteByte(content[i]);
            s.Write(content, 1000, 5000);
            s.Write(content.AsSpan(6000, (3 << 19) - 6000));
            s.Write(content, 3 << 19, content.Length - (3 << 19));
        }
        string path = _store.Save("step_1", Summary(1), [new CheckpointFile("buffer.bin", Write)]);

        var entry = ReadManifest(path)["files"]![0]!;
        Assert.Equal(content.Length, (long)entry["bytes"]!);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), (string?)entry["sha256"]);
        Assert.Equal(content, ReadAll(CheckpointStore.Open(path), "buffer.bin"));
    }

    [Fact]
    public void A_writer_that_seeks_back_to_patch_a_header_gets_the_hash_of_the_finished_file()
    {
        string path = _store.Save("step_1", Summary(1), [new CheckpointFile("patched.bin", s =>
        {
            s.Write([0, 0, 0, 0, 5, 6, 7, 8]);
            s.Position = 0;
            s.Write([1, 2, 3, 4]);
            s.Seek(0, SeekOrigin.End);
            s.WriteByte(9);
        })]);

        byte[] expected = [1, 2, 3, 4, 5, 6, 7, 8, 9];
        Assert.Equal(expected, ReadAll(CheckpointStore.Open(path), "patched.bin"));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), (string?)ReadManifest(path)["files"]![0]!["sha256"]);
    }

    [Fact]
    public void A_writer_that_disposes_its_stream_still_saves_the_whole_file()
    {
        string path = _store.Save("step_1", Summary(1), [new CheckpointFile("counters.bin", s =>
        {
            using var writer = new BinaryWriter(s); // no leaveOpen: disposes the stream
            writer.Write(123456789L);
            writer.Write(2.5f);
        })]);

        using var reader = new BinaryReader(CheckpointStore.Open(path).OpenFile("counters.bin"));
        Assert.Equal(123456789L, reader.ReadInt64());
        Assert.Equal(2.5f, reader.ReadSingle());
        Assert.Equal(12, reader.BaseStream.Length);
    }

    [Fact]
    public void Opening_a_file_the_checkpoint_does_not_list_names_it()
    {
        var reader = CheckpointStore.Open(SaveStep(1000));

        var e = Assert.Throws<CheckpointException>(() => reader.OpenFile("buffer.bin"));
        Assert.Equal(CheckpointProblem.NotListed, e.Kind);
        Assert.Equal("buffer.bin", e.FileName);
    }

    [Fact]
    public void Saving_again_under_a_step_name_replaces_that_checkpoint()
    {
        SaveStep(1000);
        string path = _store.Save("step_1000", Summary(1000, eval: 1.0), [FileOf("actor.bin", [42])]);

        var reader = CheckpointStore.Open(path);
        Assert.Equal([42], ReadAll(reader, "actor.bin"));
        Assert.Equal(["actor.bin"], reader.FileNames);
        Assert.False(File.Exists(Path.Combine(path, "critic.bin")));
        Assert.Equal(1.0, reader.Info.EvalSuccessRate);
        Assert.Empty(HiddenFolders());
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData(".tmp-step_1")]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("-x")]
    public void Save_refuses_a_name_that_is_not_a_plain_folder_name(string name)
    {
        Assert.Throws<ArgumentException>(() => _store.Save(name, Summary(1), [FileOf("a.bin", [1])]));
        Assert.False(Directory.Exists(Path.Combine(Path.GetDirectoryName(_run)!, "escape")));
    }

    [Fact]
    public void Save_refuses_a_step_name_that_disagrees_with_the_summary()
    {
        var e = Assert.Throws<ArgumentException>(() => _store.Save("step_5", Summary(6), [FileOf("a.bin", [1])]));
        Assert.Contains("step 6", e.Message);
    }

    [Theory]
    [InlineData("a.bin", "A.BIN")]
    [InlineData("checkpoint.json", null)]
    [InlineData("sub/a.bin", null)]
    [InlineData("..", null)]
    public void Save_refuses_duplicate_reserved_or_nested_file_names(string first, string? second)
    {
        var files = new List<CheckpointFile> { FileOf(first, [1]) };
        if (second is not null) files.Add(FileOf(second, [2]));

        Assert.Throws<ArgumentException>(() => _store.Save("step_1", Summary(1), files));
        Assert.False(Directory.Exists(Path.Combine(CheckpointsDir, "step_1")));
    }

    [Fact]
    public void Save_refuses_a_success_rate_outside_zero_to_one()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Save("step_1", Summary(1, eval: 1.5), []));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Save("step_1", Summary(1, best: double.NaN), []));
    }

    // ---------------------------------------------------------------- listing and retention

    [Fact]
    public void List_is_newest_first_by_step_with_best_flagged_after_the_regular_checkpoint_of_its_step()
    {
        SaveStep(1000);
        SaveStep(3000);
        SaveStep(2000);
        _store.Save("best", Summary(2000, eval: 0.9, best: 0.9, buffer: false), [FileOf("actor.bin", [1])]);
        Directory.CreateDirectory(Path.Combine(CheckpointsDir, "step_9000")); // no checkpoint.json: not a checkpoint

        var list = CheckpointStore.List(_run);

        Assert.Equal(["step_3000", "step_2000", "best", "step_1000"], list.Select(i => i.Name));
        Assert.Equal([3000L, 2000, 2000, 1000], list.Select(i => i.Step));
        Assert.Equal([false, false, true, false], list.Select(i => i.IsBest));
        Assert.Equal(Path.Combine(CheckpointsDir, "best"), list[2].Path);
        Assert.Equal("step_3000", CheckpointStore.Latest(_run)!.Name);
        Assert.Equal(0.9, CheckpointStore.Best(_run)!.EvalSuccessRate);
    }

    [Fact]
    public void Latest_is_never_best_even_when_best_is_the_newest()
    {
        SaveStep(1000);
        _store.Save("best", Summary(1500, eval: 1.0, best: 1.0), [FileOf("actor.bin", [1])]);

        Assert.Equal("step_1000", CheckpointStore.Latest(_run)!.Name);
        Assert.Equal(1500, CheckpointStore.Best(_run)!.Step);
    }

    [Fact]
    public void A_run_without_checkpoints_lists_nothing_and_a_missing_run_is_an_error()
    {
        Assert.Empty(CheckpointStore.List(_run));
        Assert.Null(CheckpointStore.Latest(_run));
        Assert.Null(CheckpointStore.Best(_run));
        Assert.Throws<HerToolsException>(() => CheckpointStore.List(Path.Combine(_run, "nope")));
    }

    [Fact]
    public void Retention_keeps_the_last_K_steps_by_number_and_always_best()
    {
        // Saved out of order, and step_10000 sorts before step_2000 as text: retention must go by number.
        foreach (long step in new long[] { 2000, 10000, 1000, 4000, 3000 }) SaveStep(step);
        _store.Save("best", Summary(1000, eval: 1.0, best: 1.0), [FileOf("actor.bin", [1])]);

        _store.ApplyRetention(keepLast: 2);

        Assert.Equal(["step_10000", "step_4000", "best"], CheckpointStore.List(_run).Select(i => i.Name));
        Assert.Equal(["best", "step_10000", "step_4000"],
            Directory.GetDirectories(CheckpointsDir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(Content(4000, "actor.bin"), ReadAll(CheckpointStore.Open(Path.Combine(CheckpointsDir, "step_4000")), "actor.bin"));
    }

    [Fact]
    public void Retention_with_fewer_checkpoints_than_K_deletes_nothing_and_K_below_one_is_refused()
    {
        SaveStep(1000);
        SaveStep(2000);

        _store.ApplyRetention(keepLast: 3);

        Assert.Equal(2, CheckpointStore.List(_run).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.ApplyRetention(0));
    }

    // ---------------------------------------------------------------- refusing damaged checkpoints

    [Fact]
    public void A_flipped_byte_is_refused_as_a_hash_mismatch_naming_the_file()
    {
        string path = SaveStep(1000);
        string critic = Path.Combine(path, "critic.bin");
        byte[] bytes = File.ReadAllBytes(critic);
        bytes[150] ^= 0x01;
        File.WriteAllBytes(critic, bytes);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.HashMismatch, e.Kind);
        Assert.Equal("critic.bin", e.FileName);
        Assert.Equal(path, e.CheckpointPath);
        Assert.StartsWith(critic + ": content hash mismatch", e.Message);
    }

    [Fact]
    public void A_truncated_file_is_refused_naming_the_file_and_both_lengths()
    {
        string path = SaveStep(1000);
        using (var stream = new FileStream(Path.Combine(path, "critic.bin"), FileMode.Open)) stream.SetLength(120);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.Truncated, e.Kind);
        Assert.Equal("critic.bin", e.FileName);
        Assert.Contains(Path.Combine(path, "critic.bin"), e.Message);
        Assert.Contains("120 bytes on disk", e.Message);
        Assert.Contains("lists 300", e.Message);
    }

    [Fact]
    public void A_file_longer_than_listed_is_refused_naming_the_file()
    {
        string path = SaveStep(1000);
        File.AppendAllText(Path.Combine(path, "actor.bin"), "x");

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.WrongLength, e.Kind);
        Assert.Equal("actor.bin", e.FileName);
        Assert.Contains("101 bytes on disk", e.Message);
    }

    [Fact]
    public void A_missing_file_is_refused_naming_the_file()
    {
        string path = SaveStep(1000);
        File.Delete(Path.Combine(path, "actor.bin"));

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.Missing, e.Kind);
        Assert.Equal("actor.bin", e.FileName);
        Assert.StartsWith(Path.Combine(path, "actor.bin") + ": missing", e.Message);
    }

    [Fact]
    public void A_foreign_format_version_is_refused_by_open_read_info_and_list_naming_checkpoint_json()
    {
        string path = SaveStep(1000);
        var manifest = ReadManifest(path);
        manifest["format_version"] = 2;
        manifest.Remove("step"); // a newer format may lack fields: the version must be what is reported
        WriteManifest(path, manifest);

        foreach (var action in new Action[] { () => CheckpointStore.Open(path), () => CheckpointStore.ReadInfo(path), () => CheckpointStore.List(_run) })
        {
            var e = Assert.Throws<CheckpointException>(action);
            Assert.Equal(CheckpointProblem.UnsupportedFormat, e.Kind);
            Assert.Equal("checkpoint.json", e.FileName);
            Assert.Equal(Path.Combine(path, "checkpoint.json") + ": format version 2 is not supported; this HerTools reads format version 1",
                e.Message);
        }
    }

    [Fact]
    public void A_json_file_from_another_program_is_refused_as_a_foreign_format()
    {
        string path = Path.Combine(CheckpointsDir, "step_5");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "checkpoint.json"), """{ "format_version": 1, "model": "sb3" }""");

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.UnsupportedFormat, e.Kind);
        Assert.Contains("\"format\" is absent", e.Message);
    }

    [Fact]
    public void A_manifest_missing_a_required_field_or_not_json_is_refused_as_malformed()
    {
        string path = SaveStep(1000);
        var manifest = ReadManifest(path);
        manifest.Remove("env_id");
        WriteManifest(path, manifest);

        var missing = Assert.Throws<CheckpointException>(() => CheckpointStore.ReadInfo(path));
        Assert.Equal(CheckpointProblem.Malformed, missing.Kind);
        Assert.Contains("env_id", missing.Message);

        File.WriteAllText(Path.Combine(path, "checkpoint.json"), "{ \"format\": ");
        Assert.Equal(CheckpointProblem.Malformed, Assert.Throws<CheckpointException>(() => CheckpointStore.ReadInfo(path)).Kind);
    }

    [Fact]
    public void A_manifest_listing_a_file_outside_the_checkpoint_is_refused_before_anything_is_read()
    {
        string path = SaveStep(1000);
        File.WriteAllText(Path.Combine(CheckpointsDir, "secret.bin"), "secret");
        var manifest = ReadManifest(path);
        manifest["files"]![0]!["name"] = "../secret.bin";
        WriteManifest(path, manifest);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.Malformed, e.Kind);
        Assert.Contains("'../secret.bin'", e.Message);
    }

    [Fact]
    public void A_manifest_name_with_a_trailing_newline_is_refused_in_one_line()
    {
        string path = SaveStep(1000);
        var manifest = ReadManifest(path);
        manifest["files"]![0]!["name"] = "actor.bin\n";
        WriteManifest(path, manifest);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.Malformed, e.Kind);
        Assert.Contains("'actor.bin\\n'", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("NUL")]
    [InlineData("con.bin")]
    [InlineData("step_5\n")]
    public void Names_that_end_in_a_newline_or_are_windows_devices_are_not_plain(string name)
    {
        Assert.Throws<ArgumentException>(() => _store.Save(name, Summary(5), []));
        Assert.Throws<ArgumentException>(() => _store.Save("step_5", Summary(5), [FileOf(name, [1])]));
    }

    [Fact]
    public void A_symbolic_link_in_place_of_a_file_is_refused_even_when_it_points_at_the_same_bytes()
    {
        string path = SaveStep(1000);
        string actor = Path.Combine(path, "actor.bin"), elsewhere = Path.Combine(_run, "actor-copy.bin");
        File.Move(actor, elsewhere);
        File.CreateSymbolicLink(actor, elsewhere);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.NotARegularFile, e.Kind);
        Assert.Equal("actor.bin", e.FileName);
        Assert.Contains("symbolic link", e.Message);
    }

    [Fact]
    public void A_linked_checkpoint_json_is_refused()
    {
        string path = SaveStep(1000);
        string manifest = Path.Combine(path, "checkpoint.json"), elsewhere = Path.Combine(_run, "manifest-copy.json");
        File.Move(manifest, elsewhere);
        File.CreateSymbolicLink(manifest, elsewhere);

        var e = Assert.Throws<CheckpointException>(() => CheckpointStore.ReadInfo(path));
        Assert.Equal(CheckpointProblem.NotARegularFile, e.Kind);
        Assert.Equal("checkpoint.json", e.FileName);
    }

    [Fact]
    public async Task A_fifo_in_place_of_a_file_or_of_checkpoint_json_is_refused_at_once_without_opening_it()
    {
        if (OperatingSystem.IsWindows()) return; // no FIFOs in a Windows folder
        string path = SaveStep(1000);
        foreach (string name in new[] { "actor.bin", "checkpoint.json" })
        {
            string file = Path.Combine(path, name), aside = Path.Combine(_run, name + ".aside");
            File.Move(file, aside);
            MakeFifo(file);
            // Opening a FIFO for reading blocks until a writer comes: a refusal must not open it.
            var open = Task.Run(() => Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path)));
            var e = await open.WaitAsync(TimeSpan.FromSeconds(10)); // a TimeoutException: opening it hung
            Assert.Equal(CheckpointProblem.NotARegularFile, e.Kind);
            Assert.Equal(name, e.FileName);
            File.Delete(file);
            File.Move(aside, file);
        }
    }

    private static void MakeFifo(string path)
    {
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [path]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public void A_folder_without_checkpoint_json_is_refused_and_not_listed()
    {
        SaveStep(1000);
        string path = Path.Combine(CheckpointsDir, "step_2000");
        Directory.CreateDirectory(path);
        File.WriteAllBytes(Path.Combine(path, "actor.bin"), Content(2000, "actor.bin"));

        var open = Assert.Throws<CheckpointException>(() => CheckpointStore.Open(path));
        Assert.Equal(CheckpointProblem.NotACheckpoint, open.Kind);
        Assert.Equal("checkpoint.json", open.FileName);
        Assert.StartsWith(Path.Combine(path, "checkpoint.json") + ": not a checkpoint folder", open.Message);
        Assert.Equal(CheckpointProblem.NotACheckpoint, Assert.Throws<CheckpointException>(() => CheckpointStore.ReadInfo(path)).Kind);
        Assert.Equal(["step_1000"], CheckpointStore.List(_run).Select(i => i.Name));
    }

    // ---------------------------------------------------------------- crashes

    [Fact]
    public void A_crashed_save_left_as_a_tmp_folder_is_not_listed_and_the_next_save_removes_it()
    {
        SaveStep(1000);
        // What a process killed mid-save leaves: a temporary folder with part of a file, and one killed just
        // before the final rename: a temporary folder that is complete.
        string partial = Path.Combine(CheckpointsDir, ".tmp-step_2000-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(partial);
        File.WriteAllBytes(Path.Combine(partial, "actor.bin"), Content(2000, "actor.bin", 40));
        string whole = Path.Combine(CheckpointsDir, ".tmp-step_3000-" + Guid.NewGuid().ToString("N"));
        Directory.Move(SaveStep(3000), whole);

        Assert.Equal(["step_1000"], CheckpointStore.List(_run).Select(i => i.Name));
        Assert.Equal("step_1000", CheckpointStore.Latest(_run)!.Name);
        Assert.Equal(Content(1000, "actor.bin"), ReadAll(CheckpointStore.Open(CheckpointStore.Latest(_run)!.Path), "actor.bin"));

        SaveStep(2000);

        Assert.Empty(HiddenFolders());
        Assert.Equal(["step_2000", "step_1000"], CheckpointStore.List(_run).Select(i => i.Name));
    }

    [Fact]
    public void A_save_whose_writer_throws_midway_leaves_nothing_behind_and_the_previous_checkpoints_loadable()
    {
        SaveStep(1000);
        _store.Save("best", Summary(1000, eval: 0.5, best: 0.5), [FileOf("actor.bin", [7])]);
        var failure = new IOException("disk full (simulated)");

        var thrown = Assert.Throws<IOException>(() => _store.Save("step_2000", Summary(2000),
        [
            FileOf("actor.bin", Content(2000, "actor.bin")),
            new CheckpointFile("buffer.bin", s => { s.Write(new byte[3 << 19]); throw failure; }),
            FileOf("critic.bin", Content(2000, "critic.bin")),
        ]));
        var thrownReplacingBest = Assert.Throws<IOException>(() => _store.Save("best", Summary(2000, eval: 0.9, best: 0.9),
            [new CheckpointFile("actor.bin", s => { s.WriteByte(1); throw failure; })]));

        Assert.Same(failure, thrown);
        Assert.Same(failure, thrownReplacingBest);
        Assert.Empty(HiddenFolders());
        Assert.False(Directory.Exists(Path.Combine(CheckpointsDir, "step_2000")));
        Assert.Equal(["step_1000", "best"], CheckpointStore.List(_run).Select(i => i.Name));
        Assert.Equal(Content(1000, "critic.bin", 300), ReadAll(CheckpointStore.Open(CheckpointStore.Latest(_run)!.Path), "critic.bin"));
        var best = CheckpointStore.Open(CheckpointStore.Best(_run)!.Path);
        Assert.Equal([7], ReadAll(best, "actor.bin"));
        Assert.Equal(0.5, best.Summary.EvalSuccessRate);
    }

    [Fact]
    public void Replacing_best_twice_keeps_exactly_one_best_holding_the_newest()
    {
        _store.Save("best", Summary(1000, eval: 0.2, best: 0.2), [FileOf("actor.bin", [1]), FileOf("old_only.bin", [9])]);
        _store.Save("best", Summary(2000, eval: 0.4, best: 0.4), [FileOf("actor.bin", [2])]);
        _store.Save("best", Summary(3000, eval: 0.6, best: 0.6), [FileOf("actor.bin", [3])]);

        Assert.Equal(["best"], Directory.GetDirectories(CheckpointsDir).Select(Path.GetFileName));
        var best = Assert.Single(CheckpointStore.List(_run));
        Assert.True(best.IsBest);
        Assert.Equal(3000, best.Step);
        var reader = CheckpointStore.Open(best.Path);
        Assert.Equal([3], ReadAll(reader, "actor.bin"));
        Assert.Equal(["actor.bin"], reader.FileNames);
        Assert.False(File.Exists(Path.Combine(best.Path, "old_only.bin")));
    }

    [Fact]
    public void A_crash_between_setting_best_aside_and_renaming_the_new_one_in_still_leaves_a_best()
    {
        _store.Save("best", Summary(1000, eval: 0.2, best: 0.2), [FileOf("actor.bin", [1])]);
        SaveStep(1000);
        // The state a kill leaves between the two renames: the old best set aside, the new one still temporary.
        string aside = Path.Combine(CheckpointsDir, ".old-best-" + Guid.NewGuid().ToString("N"));
        Directory.Move(Path.Combine(CheckpointsDir, "best"), aside);
        string pending = Path.Combine(CheckpointsDir, ".tmp-best-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(pending);

        var shown = CheckpointStore.Best(_run)!;
        Assert.Equal(("best", 1000L), (shown.Name, shown.Step));
        Assert.Equal([1], ReadAll(CheckpointStore.Open(shown.Path), "actor.bin"));

        SaveStep(2000);

        Assert.Empty(HiddenFolders());
        var restored = CheckpointStore.Best(_run)!;
        Assert.Equal(Path.Combine(CheckpointsDir, "best"), restored.Path);
        Assert.Equal([1], ReadAll(CheckpointStore.Open(restored.Path), "actor.bin"));
    }

    [Fact]
    public void A_crash_during_retention_deletion_or_after_replacement_leaves_no_visible_checkpoint()
    {
        SaveStep(1000);
        SaveStep(2000);
        // Half-deleted by retention (renamed out of sight first), and an old best whose replacement landed.
        string doomed = Path.Combine(CheckpointsDir, ".del-step_500-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(doomed);
        File.WriteAllText(Path.Combine(doomed, "checkpoint.json"), "{}");
        _store.Save("best", Summary(2000, eval: 0.5, best: 0.5), [FileOf("actor.bin", [5])]);
        string staleAside = Path.Combine(CheckpointsDir, ".old-best-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(staleAside);
        File.WriteAllText(Path.Combine(staleAside, "checkpoint.json"), "{}");

        Assert.Equal(["step_2000", "best", "step_1000"], CheckpointStore.List(_run).Select(i => i.Name));

        SaveStep(3000);

        Assert.Empty(HiddenFolders());
        Assert.Equal([5], ReadAll(CheckpointStore.Open(CheckpointStore.Best(_run)!.Path), "actor.bin"));
    }

    // ---------------------------------------------------------------- resolving what a user typed

    [Fact]
    public void ResolveCheckpointPath_accepts_a_checkpoint_folder_its_json_a_run_folder_or_its_checkpoints_folder()
    {
        string step1000 = SaveStep(1000);
        string step2000 = SaveStep(2000);
        string best = _store.Save("best", Summary(2500, eval: 1.0, best: 1.0), [FileOf("actor.bin", [1])]);

        Assert.Equal(step1000, CheckpointStore.ResolveCheckpointPath(step1000));
        Assert.Equal(step1000, CheckpointStore.ResolveCheckpointPath(step1000 + Path.DirectorySeparatorChar));
        Assert.Equal(best, CheckpointStore.ResolveCheckpointPath(Path.Combine(best, "checkpoint.json")));
        Assert.Equal(step2000, CheckpointStore.ResolveCheckpointPath(_run));
        Assert.Equal(step2000, CheckpointStore.ResolveCheckpointPath(CheckpointsDir));
        string relative = Path.GetRelativePath(Environment.CurrentDirectory, step1000);
        Assert.Equal(step1000, CheckpointStore.ResolveCheckpointPath(relative));
    }

    [Fact]
    public void ResolveCheckpointPath_refuses_what_is_neither_with_an_error_naming_the_path()
    {
        SaveStep(1000);
        string incomplete = Path.Combine(CheckpointsDir, "step_2000");
        Directory.CreateDirectory(incomplete);
        string emptyRun = Path.Combine(Path.GetDirectoryName(_run)!, "empty-run");
        Directory.CreateDirectory(Path.Combine(emptyRun, "checkpoints"));
        string stranger = Path.Combine(Path.GetDirectoryName(_run)!, "photos");
        Directory.CreateDirectory(stranger);
        string aFile = Path.Combine(_run, "notes.txt");
        File.WriteAllText(aFile, "x");
        string nowhere = Path.Combine(_run, "no-such-thing");

        var cases = new (string Path, string? FileName, string Problem)[]
        {
            (nowhere, null, "no such checkpoint folder, checkpoint.json or run folder"),
            (stranger, null, "neither a checkpoint folder (no checkpoint.json) nor a run folder (no checkpoints/)"),
            (emptyRun, null, "the run has no complete checkpoint in checkpoints/"),
            (incomplete, "checkpoint.json", "not a complete checkpoint: it has no checkpoint.json"),
            (aFile, null, "a file, not a checkpoint folder, a checkpoint.json or a run folder"),
        };
        foreach (var (path, fileName, problem) in cases)
        {
            var e = Assert.Throws<CheckpointException>(() => CheckpointStore.ResolveCheckpointPath(path));
            Assert.Equal(CheckpointProblem.NotACheckpoint, e.Kind);
            Assert.Equal(path, e.CheckpointPath);
            Assert.Equal(fileName, e.FileName);
            Assert.Equal(problem, e.Problem);
            Assert.Contains(path, e.Message);
        }
    }
}
