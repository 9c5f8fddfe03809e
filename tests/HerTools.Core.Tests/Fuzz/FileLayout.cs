namespace HerTools.Core.Tests.Fuzz;

/// <summary>A length, count or index field of a checkpoint file: where it is and how wide (1: a string's 7-bit
/// length prefix whose value fits one byte, 4: int32, 8: int64).</summary>
internal readonly record struct LengthField(string Name, long Offset, int Width);

/// <summary>
/// Where the length, count and index fields of agent.bin, state.bin and replay.bin lie, found by walking a pristine
/// file the way its reader does. The fuzzer sets these to -1, 0 and huge values: a random bit flip rarely hits them.
/// </summary>
internal static class FileLayout
{
    public static List<LengthField> Agent(byte[] file)
    {
        var fields = new List<LengthField>();
        using var r = new BinaryReader(new MemoryStream(file));
        fields.Add(new("header length", 0, 1));
        r.ReadString();
        fields.Add(new("format version", r.BaseStream.Position, 4));
        r.ReadInt32();
        fields.Add(new("layout length", r.BaseStream.Position, 1));
        r.ReadString();
        foreach (string network in (string[])["actor", "critic", "actor target", "critic target"]) Tensor(network);
        foreach (string optimizer in (string[])["actor", "critic"])
        {
            fields.Add(new($"{optimizer} Adam steps", r.BaseStream.Position, 8));
            r.ReadInt64();
            Tensor($"{optimizer} first moment");
            Tensor($"{optimizer} second moment");
        }
        foreach (string normalizer in (string[])["observation", "goal"])
        {
            fields.Add(new($"{normalizer} normalizer count", r.BaseStream.Position, 8));
            r.ReadInt64();
            Doubles($"{normalizer} sums");
            Doubles($"{normalizer} sums of squares");
        }
        Assert.Equal(file.Length, r.BaseStream.Position); // the walk is the reader's: it ends where the file does
        return fields;

        void Tensor(string name)
        {
            fields.Add(new(name + " length", r.BaseStream.Position, 8));
            long count = r.ReadInt64();
            r.BaseStream.Position += 4 * count;
        }

        void Doubles(string name)
        {
            fields.Add(new(name + " length", r.BaseStream.Position, 4));
            int count = r.ReadInt32();
            r.BaseStream.Position += 8L * count;
        }
    }

    /// <summary>The copy count, the run counters and the three observation arrays' lengths of a one-copy run (the fields after them are fixed-size
    /// statistics, generator states and the environment's state, which bit flips cover).</summary>
    public static List<LengthField> State(byte[] file)
    {
        var fields = new List<LengthField>
        {
            new("version", 4, 4), new("n_envs", 8, 4), new("timesteps", 12, 8), new("episodes", 20, 8), new("gradient steps", 28, 8),
            new("cycles", 36, 8), new("steps since training", 44, 8), new("cycle episodes", 52, 4),
            new("episode length", 64, 4), new("last evaluation step", 94, 8),
        };
        long at = 102;
        foreach (string array in (string[])["observation", "achieved goal", "desired goal"])
        {
            fields.Add(new(array + " length", at, 4));
            at += 4 + 4L * BitConverter.ToInt32(file, (int)at);
        }
        return fields;
    }

    /// <summary>The header's version and payload length, then the payload's shapes, ring state and every episode's
    /// first and last row.</summary>
    public static List<LengthField> Replay(byte[] file)
    {
        var fields = new List<LengthField> { new("version", 8, 4), new("payload length", 12, 8), new("environment id length", 20, 1) };
        using var r = new BinaryReader(new MemoryStream(file));
        r.BaseStream.Position = 20;
        r.ReadString();
        string[] header = ["capacity", "observation size", "goal size", "action size", "max_episode_steps", "row capacity",
            "episode slots", "oldest slot", "episode count", "oldest serial"];
        int observationSize = 0, goalSize = 0, actionSize = 0, episodeCount = 0;
        foreach (string name in header)
        {
            fields.Add(new(name, r.BaseStream.Position, 4));
            int value = r.ReadInt32();
            if (name == "observation size") observationSize = value;
            if (name == "goal size") goalSize = value;
            if (name == "action size") actionSize = value;
            if (name == "episode count") episodeCount = value;
        }
        r.ReadBoolean();
        fields.Add(new("transition count", r.BaseStream.Position, 4));
        r.ReadInt32();
        fields.Add(new("next first row", r.BaseStream.Position, 4));
        r.ReadInt32();
        int stride = observationSize + goalSize + actionSize;
        for (int n = 0; n < episodeCount; n++)
        {
            fields.Add(new($"episode {n} first row", r.BaseStream.Position, 4));
            int first = r.ReadInt32();
            fields.Add(new($"episode {n} last row", r.BaseStream.Position, 4));
            int last = r.ReadInt32();
            int rows = last - first + 1;
            r.BaseStream.Position += 4L * goalSize + 4L * rows * stride + rows;
        }
        Assert.Equal(file.Length - 8, r.BaseStream.Position); // the checksum follows the last episode
        return fields;
    }
}
