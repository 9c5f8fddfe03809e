using System.Buffers.Binary;
using System.Text;
using HerTools.Core.Config;
using HerTools.Core.Metrics;
using HerTools.Core.Training;

namespace HerTools.Core.Tests;

public sealed class TensorBoardLogTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-tensorboard-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void The_checksum_is_crc32c_masked_as_tfrecord_masks_it()
    {
        // CRC-32C("123456789") = 0xE3069283, the check value of the Castagnoli polynomial; masked: rotate right 15, add 0xa282ead8.
        uint crc = 0xE3069283;
        Assert.Equal(unchecked(((crc >> 15) | (crc << 17)) + 0xa282ead8), MaskedCrc32C.Of("123456789"u8));
    }

    [Fact]
    public void A_run_with_tensorboard_on_writes_the_scalars_of_its_csv_rows_as_event_records()
    {
        var config = ConfigLoader.LoadPreset("point_goal", ["threads=1", "seed=3", "total_timesteps=600", "ddpg.learning_starts=100",
            "ddpg.batch_size=32", "ddpg.hidden_sizes=[16, 16]", "eval.eval_freq=200", "eval.n_eval_episodes=5", "log.log_interval=100",
            "log.tensorboard=true"]);
        string run = Path.Combine(_root, "run");
        HerTrainer.TrainHer(config, run);

        var events = EventFile.ReadAll(Assert.Single(Directory.GetFiles(run, "events.out.tfevents.*")));
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        var scalars = events.Skip(1).SelectMany(e => e.Values.Select(v => (e.Step, v.Tag, v.Value))).ToList();

        var progress = CsvLog<ProgressRow>.ReadAll(RunFiles.ProgressPath(run));
        Assert.Equal(6, progress.Count);
        foreach (var row in progress)
        {
            Assert.Equal((float)row.WallTimeSeconds, Scalar(scalars, row.Timesteps, "progress/wall_time_s"));
            Assert.Equal((float)row.Episodes, Scalar(scalars, row.Timesteps, "progress/episodes"));
            if (row.CriticLoss is double loss) Assert.Equal((float)loss, Scalar(scalars, row.Timesteps, "progress/critic_loss"));
            else Assert.DoesNotContain(scalars, s => s.Step == row.Timesteps && s.Tag == "progress/critic_loss");
            if (row.RelabeledShare is double share) Assert.Equal((float)share, Scalar(scalars, row.Timesteps, "progress/relabeled_share"));
        }
        Assert.Contains(progress, r => r.CriticLoss is not null);
        var evals = CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(run));
        Assert.Equal([200L, 400, 600], evals.Select(e => e.Timesteps));
        foreach (var row in evals)
        {
            Assert.Equal((float)row.SuccessRate, Scalar(scalars, row.Timesteps, "eval/success_rate"));
            Assert.Equal((float)row.MeanReturn, Scalar(scalars, row.Timesteps, "eval/mean_return"));
            Assert.Equal((float)row.MeanFinalDistance, Scalar(scalars, row.Timesteps, "eval/mean_final_distance"));
        }
        // Nothing else: every record is one of a CSV row's.
        Assert.Equal(progress.Count + evals.Count, events.Count - 1);
    }

    [Fact]
    public void Without_tensorboard_no_event_file_is_written_and_the_config_hash_is_unchanged()
    {
        var off = ConfigLoader.LoadPreset("point_goal", ["total_timesteps=200", "eval.eval_freq=100", "eval.n_eval_episodes=2", "log.log_interval=100"]);
        var on = ConfigLoader.LoadPreset("point_goal", ["total_timesteps=200", "eval.eval_freq=100", "eval.n_eval_episodes=2", "log.log_interval=100",
            "log.tensorboard=true"]);
        Assert.Equal(off.ComputeHash(), on.ComputeHash()); // where the scalars also go changes nothing the run computes
        Assert.DoesNotContain("tensorboard", off.ToYaml());
        Assert.Contains("  tensorboard: true", on.ToYaml());
        string run = Path.Combine(_root, "off");
        HerTrainer.TrainHer(off, run);
        Assert.Empty(Directory.GetFiles(run, "events.out.tfevents.*"));
    }

    private static float Scalar(List<(long Step, string Tag, float Value)> scalars, long step, string tag) =>
        Assert.Single(scalars, s => s.Step == step && s.Tag == tag).Value;

    /// <summary>An independent reader of TensorBoard event files: TFRecord frames with their checksums checked, and
    /// the Event and Summary fields a scalar uses.</summary>
    private sealed record EventFile(double WallTime, long Step, string? FileVersion, List<(string Tag, float Value)> Values)
    {
        public static List<EventFile> ReadAll(string path)
        {
            byte[] bytes = File.ReadAllBytes(path);
            var events = new List<EventFile>();
            for (int at = 0; at < bytes.Length;)
            {
                ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(at));
                Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 8)), MaskedCrc32C.Of(bytes.AsSpan(at, 8)));
                var data = bytes.AsSpan(at + 12, (int)length);
                Assert.Equal(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(at + 12 + (int)length)), MaskedCrc32C.Of(data));
                events.Add(ParseEvent(data.ToArray()));
                at += 12 + (int)length + 4;
            }
            return events;
        }

        private static EventFile ParseEvent(byte[] data)
        {
            double wall = 0;
            long step = 0;
            string? version = null;
            var values = new List<(string, float)>();
            foreach (var (field, wire, raw, varint) in Fields(data))
            {
                if (field == 1 && wire == 1) wall = BinaryPrimitives.ReadDoubleLittleEndian(raw);
                else if (field == 2 && wire == 0) step = (long)varint;
                else if (field == 3 && wire == 2) version = Encoding.UTF8.GetString(raw);
                else if (field == 5 && wire == 2)
                    foreach (var (_, _, value, _) in Fields(raw)) // Summary.value (field 1), each a Value
                    {
                        string tag = "";
                        float simple = float.NaN;
                        foreach (var (f, w, r, _) in Fields(value))
                        {
                            if (f == 1 && w == 2) tag = Encoding.UTF8.GetString(r);
                            else if (f == 2 && w == 5) simple = BinaryPrimitives.ReadSingleLittleEndian(r);
                        }
                        values.Add((tag, simple));
                    }
                else Assert.Fail($"unexpected Event field {field} (wire type {wire})");
            }
            return new EventFile(wall, step, version, values);
        }

        private static List<(int Field, int Wire, byte[] Raw, ulong Varint)> Fields(byte[] data)
        {
            var fields = new List<(int, int, byte[], ulong)>();
            int at = 0;
            while (at < data.Length)
            {
                ulong key = Varint(data, ref at);
                int field = (int)(key >> 3), wire = (int)(key & 7);
                switch (wire)
                {
                    case 0: fields.Add((field, wire, [], Varint(data, ref at))); break;
                    case 1: fields.Add((field, wire, data[at..(at + 8)], 0)); at += 8; break;
                    case 5: fields.Add((field, wire, data[at..(at + 4)], 0)); at += 4; break;
                    case 2:
                        int length = (int)Varint(data, ref at);
                        fields.Add((field, wire, data[at..(at + length)], 0));
                        at += length;
                        break;
                    default: throw new InvalidDataException($"wire type {wire}");
                }
            }
            return fields;
        }

        private static ulong Varint(byte[] data, ref int at)
        {
            ulong value = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = data[at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80) return value;
            }
        }
    }
}
