using HerTools.Core.Checkpoints;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>
/// The loop's position: the counters and the episode in progress, everything besides the networks and the buffer
/// that decides what the loop does next. <see cref="Write"/> saves it, with the interval statistics, the random
/// streams, the noise and the environment, as a checkpoint's <c>state.bin</c>; that is what makes a resume continue
/// bit for bit.
/// </summary>
internal sealed class RunState
{
    private const uint Magic = 0x53525448; // "HTRS"
    // 2: the interval's SAC sums; version 1 (written before TD3 and SAC) is still read.
    private const int Version = 2;

    public long Timesteps { get; set; }
    public long Episodes { get; set; }
    public long GradientSteps { get; set; }
    /// <summary>Cycles of the <c>cycle</c> schedule done (an epoch is <c>n_cycles</c> of them).</summary>
    public long Cycles { get; set; }
    /// <summary>Steps collected since the last updates: what <c>gradient_steps: -1</c> owes.</summary>
    public long StepsSinceTrain { get; set; }
    /// <summary>Episodes ended in the current cycle of the <c>cycle</c> schedule.</summary>
    public int CycleEpisodes { get; set; }
    /// <summary>The observation the next action is chosen from.</summary>
    public GoalObservation Observation { get; set; } = null!;
    public double EpisodeReturn { get; set; }
    public int EpisodeLength { get; set; }
    /// <summary>Training seconds of earlier sessions of this run.</summary>
    public double WallTimeBefore { get; set; }
    public double? LastEval { get; set; }
    public double? BestEval { get; set; }
    public long LastEvalStep { get; set; } = -1;

    /// <summary>Writes the position and the run's other mutable parts; <paramref name="wallTimeSeconds"/> is the run's training time so far.</summary>
    public void Write(Stream stream, double wallTimeSeconds, IntervalStats interval, RunComponents parts)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(Version);
        w.Write(Timesteps); w.Write(Episodes); w.Write(GradientSteps); w.Write(Cycles);
        w.Write(StepsSinceTrain); w.Write(CycleEpisodes);
        w.Write(EpisodeReturn); w.Write(EpisodeLength);
        w.Write(wallTimeSeconds);
        WriteNullable(w, LastEval); WriteNullable(w, BestEval); w.Write(LastEvalStep);
        WriteArray(w, Observation.Observation); WriteArray(w, Observation.AchievedGoal); WriteArray(w, Observation.DesiredGoal);
        interval.Write(w);
        parts.ActionRng.WriteState(w); parts.NoiseRng.WriteState(w); parts.SampleRng.WriteState(w);
        w.Write(parts.Noise is not null);
        parts.Noise?.WriteState(w);
        parts.Env.WriteState(w);
    }

    /// <summary>Restores what <see cref="Write"/> saved into this position and the run's parts; <paramref name="checkpointPath"/> names the checkpoint in errors.</summary>
    public void Read(Stream stream, string checkpointPath, IntervalStats interval, RunComponents parts)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadUInt32() != Magic) throw new CheckpointException(checkpointPath, RunCheckpoint.StateFile, CheckpointProblem.Malformed, "not a HerTools run state file");
        int version = r.ReadInt32();
        if (version is < 1 or > Version)
            throw new CheckpointException(checkpointPath, RunCheckpoint.StateFile, CheckpointProblem.UnsupportedFormat,
                $"run state version {version} is not supported (this version reads {Version})");
        Timesteps = r.ReadInt64(); Episodes = r.ReadInt64(); GradientSteps = r.ReadInt64(); Cycles = r.ReadInt64();
        StepsSinceTrain = r.ReadInt64(); CycleEpisodes = r.ReadInt32();
        EpisodeReturn = r.ReadDouble(); EpisodeLength = r.ReadInt32();
        WallTimeBefore = r.ReadDouble();
        LastEval = ReadNullable(r); BestEval = ReadNullable(r); LastEvalStep = r.ReadInt64();
        Observation = new GoalObservation(ReadArray(r), ReadArray(r), ReadArray(r));
        interval.Read(r, version);
        parts.ActionRng.ReadState(r); parts.NoiseRng.ReadState(r); parts.SampleRng.ReadState(r);
        if (r.ReadBoolean()) parts.Noise!.ReadState(r);
        parts.Env.ReadState(r);
    }

    private static void WriteNullable(BinaryWriter w, double? v) { w.Write(v.HasValue); w.Write(v ?? 0); }
    private static double? ReadNullable(BinaryReader r) { bool has = r.ReadBoolean(); double v = r.ReadDouble(); return has ? v : null; }
    private static void WriteArray(BinaryWriter w, float[] a) { w.Write(a.Length); foreach (float f in a) w.Write(f); }
    private static float[] ReadArray(BinaryReader r) { var a = new float[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadSingle(); return a; }
}
