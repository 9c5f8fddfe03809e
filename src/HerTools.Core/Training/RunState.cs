using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

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

    /// <summary>Largest training time a state may record (about 317 years).</summary>
    public const double MaxWallTimeSeconds = 1e10;

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

    /// <summary>Restores what <see cref="Write"/> saved into this position and the run's parts.</summary>
    /// <exception cref="SavedStateException">A field disagrees with the config or the environment of the run (named).</exception>
    public void Read(Stream stream, HerConfig config, IntervalStats interval, RunComponents parts) =>
        Read(stream, config, interval, parts.Env, [parts.ActionRng, parts.NoiseRng, parts.SampleRng], parts.Noise);

    /// <summary>
    /// Restores what <see cref="Write"/> saved: the position into this object, the rest into <paramref name="interval"/>,
    /// the three generators (actions, noise, sampling), <paramref name="noise"/> and <paramref name="env"/>. Every count
    /// is checked against what the config and the environment allow before it is used, the observation against the
    /// environment's sizes and spaces, and the file must end where the state does.
    /// </summary>
    /// <exception cref="SavedStateException">A field disagrees with the config or the environment of the run (named).</exception>
    public void Read(Stream stream, HerConfig config, IntervalStats interval, IGoalEnv env, Rng[] generators, IActionNoise? noise)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (SavedStateException.Read("magic", r.ReadUInt32) != Magic) throw new SavedStateException("magic", "not a HerTools run state file");
        int version = SavedStateException.Read("version", r.ReadInt32);
        if (version is < 1 or > Version)
            throw new SavedStateException("version", $"run state version {version} is not supported (this version reads 1 to {Version})");
        bool sac = AlgorithmRegistry.Get(config.Algo).Learner == Sac.LearnerName;
        if (sac && version < 2) throw new SavedStateException("version", $"run state version {version} predates SAC, the config's learner");

        var ddpg = config.Ddpg;
        int maxEpisodeSteps = env.MaxEpisodeSteps;
        // Far beyond any budget, far below overflow: a counter near long.MaxValue would wrap in the loop's arithmetic.
        const long MaxCount = 1L << 53;
        Timesteps = SavedStateException.ReadInt64(r, "timesteps", 0, MaxCount);
        Episodes = SavedStateException.ReadInt64(r, "episodes", 0, Timesteps);
        GradientSteps = SavedStateException.ReadInt64(r, "gradient steps", 0, MaxCount);
        Cycles = SavedStateException.ReadInt64(r, "cycles", 0, Episodes);
        // What gradient_steps: -1 owes is at most one training interval: train_freq steps, or train_freq episodes.
        long owed = ddpg.Schedule == "cycle" ? Timesteps : Math.Min(Timesteps, (long)ddpg.TrainFreq * (ddpg.TrainFreqUnit == "episode" ? maxEpisodeSteps : 1));
        StepsSinceTrain = SavedStateException.ReadInt64(r, "steps since training", 0, owed);
        CycleEpisodes = SavedStateException.ReadInt32(r, "cycle episodes", 0, ddpg.Schedule == "cycle" ? ddpg.EpisodesPerCycle - 1 : 0);
        EpisodeReturn = SavedStateException.ReadDouble(r, "episode return");
        // An episode at the time limit has ended and a new one begun before any checkpoint.
        EpisodeLength = SavedStateException.ReadInt32(r, "episode length", 0, (int)Math.Min(maxEpisodeSteps - 1, Timesteps));
        // Centuries of training at most: the progress reports turn it into a TimeSpan, which overflows near 2.9e4 years.
        WallTimeBefore = SavedStateException.ReadDouble(r, "wall time", 0, MaxWallTimeSeconds);
        LastEval = ReadRate(r, "last evaluation"); BestEval = ReadRate(r, "best evaluation");
        if (LastEval is double last && !(BestEval >= last)) throw new SavedStateException("best evaluation", $"{BestEval} is below the last evaluation {last}");
        LastEvalStep = SavedStateException.ReadInt64(r, "last evaluation step", -1, Timesteps);
        var space = env.ObservationSpace;
        Observation = new GoalObservation(ReadArray(r, "observation", env, space.Observation),
            ReadArray(r, "achieved goal", env, space.AchievedGoal), ReadArray(r, "desired goal", env, space.DesiredGoal));
        interval.Read(r, Timesteps, WallTimeBefore, version, sac);
        string[] names = ["action generator", "noise generator", "sampling generator"];
        for (int i = 0; i < generators.Length; i++) generators[i].ReadState(r, names[i]);
        bool hasNoise = SavedStateException.ReadBoolean(r, "noise flag");
        if (hasNoise != noise is not null)
            throw new SavedStateException("noise flag",
                hasNoise ? "the state has exploration noise, the config has none" : "the state has no exploration noise, the config has some");
        noise?.ReadState(r);
        try
        {
            env.ReadState(r);
        }
        catch (Exception e) when (e is not SavedStateException)
        {
            // A plug-in reads its own state: whatever it throws, the field is the environment's state.
            throw new SavedStateException($"{env.Id} state", e is EndOfStreamException ? "the file ends inside it" : $"{e.GetType().Name}: {e.Message}", e);
        }
        if (env is IEpisodeClock clock && clock.ElapsedSteps != EpisodeLength)
            throw new SavedStateException($"{env.Id} episode step", $"{clock.ElapsedSteps}, but the run's episode has {EpisodeLength} steps");
        if (r.BaseStream.CanSeek && r.BaseStream.Position != r.BaseStream.Length)
            throw new SavedStateException("end", $"{r.BaseStream.Length - r.BaseStream.Position} bytes follow the state");
    }

    private static double? ReadRate(BinaryReader r, string field)
    {
        bool has = SavedStateException.ReadBoolean(r, field + " flag");
        double value = SavedStateException.ReadDouble(r, field, has ? 0 : double.MinValue, has ? 1 : double.MaxValue);
        return has ? value : null;
    }

    /// <summary>An array whose length must be the environment's, with finite values; inside its space too when the
    /// environment keeps its values there (<see cref="IKeepsWithinSpaces"/>).</summary>
    private static float[] ReadArray(BinaryReader r, string field, IGoalEnv env, Box space)
    {
        string envId = env.Id;
        int length = SavedStateException.Read(field, r.ReadInt32);
        if (length != space.Size) throw new SavedStateException(field, $"has {length} values, {envId}'s {field} has {space.Size}");
        var values = new float[length];
        for (int i = 0; i < length; i++) values[i] = SavedStateException.Read(field, r.ReadSingle);
        SavedStateException.CheckFinite(values, field);
        if (env is IKeepsWithinSpaces && !space.Contains(values)) throw new SavedStateException(field, $"lies outside {envId}'s {field} space");
        return values;
    }

    private static void WriteNullable(BinaryWriter w, double? v) { w.Write(v.HasValue); w.Write(v ?? 0); }
    private static void WriteArray(BinaryWriter w, float[] a) { w.Write(a.Length); foreach (float f in a) w.Write(f); }
}
