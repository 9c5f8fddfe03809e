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
    // 2: n_envs, then each copy's episode, noise and environment where version 1 had the one environment's.
    // 3: the interval's SAC sums (entropy coefficient, log-probability). Versions 1 and 2 (before SAC) are still read.
    // 4: each copy's environment state is optional (ISavesState): a length-prefixed block, or -1 for none.
    private const int Version = 4;
    // An environment's own state is small (a few numbers and a generator); far more is a damaged length.
    private const int MaxEnvStateBytes = 64 << 20;

    /// <summary>Largest training time a state may record (about 317 years).</summary>
    public const double MaxWallTimeSeconds = 1e10;

    public long Timesteps { get; set; }
    public long Episodes { get; set; }
    public long GradientSteps { get; set; }
    /// <summary>Cycles of the <c>cycle</c> schedule done (an epoch is <c>n_cycles</c> of them).</summary>
    public long Cycles { get; set; }
    /// <summary>Transitions collected since the last updates: what <c>gradient_steps: -1</c> owes.</summary>
    public long StepsSinceTrain { get; set; }
    /// <summary>Episodes ended in the current cycle of the <c>cycle</c> schedule.</summary>
    public int CycleEpisodes { get; set; }
    /// <summary>The episode in progress of each environment copy.</summary>
    public EpisodeInProgress[] Copies { get; private set; }
    /// <summary>Training seconds of earlier sessions of this run.</summary>
    public double WallTimeBefore { get; set; }
    public double? LastEval { get; set; }
    public double? BestEval { get; set; }
    public long LastEvalStep { get; set; } = -1;
    /// <summary>False after <c>Read</c> when the checkpoint holds no environment state, or the environment takes
    /// none: the episodes in progress cannot be continued.</summary>
    public bool EnvStateRestored { get; private set; } = true;

    /// <summary>A position for <paramref name="copies"/> environment copies, their episodes not begun.</summary>
    public RunState(int copies = 1)
    {
        Copies = new EpisodeInProgress[copies];
        for (int i = 0; i < copies; i++) Copies[i] = new EpisodeInProgress();
    }

    /// <summary>Writes the position and the run's other mutable parts; <paramref name="wallTimeSeconds"/> is the run's training time so far.
    /// Without <paramref name="withEnvState"/> the environments' state is left out (their process failed: there is none to ask).</summary>
    public void Write(Stream stream, double wallTimeSeconds, IntervalStats interval, RunComponents parts, bool withEnvState = true)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(Magic); w.Write(Version); w.Write(Copies.Length);
        w.Write(Timesteps); w.Write(Episodes); w.Write(GradientSteps); w.Write(Cycles);
        w.Write(StepsSinceTrain); w.Write(CycleEpisodes);
        foreach (var copy in Copies) { w.Write(copy.Return); w.Write(copy.Length); }
        w.Write(wallTimeSeconds);
        WriteNullable(w, LastEval); WriteNullable(w, BestEval); w.Write(LastEvalStep);
        foreach (var copy in Copies)
        {
            WriteArray(w, copy.Observation.Observation); WriteArray(w, copy.Observation.AchievedGoal); WriteArray(w, copy.Observation.DesiredGoal);
        }
        interval.Write(w);
        parts.ActionRng.WriteState(w); parts.NoiseRng.WriteState(w); parts.SampleRng.WriteState(w);
        w.Write(parts.Noises is not null);
        foreach (var noise in parts.Noises ?? []) noise.WriteState(w);
        for (int i = 0; i < parts.Envs.Count; i++) WriteEnvState(w, withEnvState ? parts.Envs[i] : null);
    }

    /// <summary>Restores what <see cref="Write"/> saved into this position and the run's parts.</summary>
    /// <exception cref="SavedStateException">A field disagrees with the config or the environment of the run (named).</exception>
    public void Read(Stream stream, RunConfig config, IntervalStats interval, RunComponents parts) =>
        Read(stream, config, interval, Enumerable.Range(0, parts.Envs.Count).Select(i => parts.Envs[i]).ToList(),
            [parts.ActionRng, parts.NoiseRng, parts.SampleRng], parts.Noises);

    /// <summary>
    /// Restores what <see cref="Write"/> saved: the position into this object, the rest into <paramref name="interval"/>,
    /// the three generators (actions, noise, sampling), each copy's <paramref name="noises"/> and <paramref name="envs"/>
    /// (<c>n_envs</c> of each). Every count is checked against what the config and the environment allow before it is
    /// used, each observation against the environment's sizes and spaces, and the file must end where the state does.
    /// Version 1 (written before <c>n_envs</c>) is the layout of one copy.
    /// </summary>
    /// <exception cref="SavedStateException">A field disagrees with the config or the environment of the run (named).</exception>
    public void Read(Stream stream, RunConfig config, IntervalStats interval, IReadOnlyList<IGoalEnv> envs, Rng[] generators,
        IReadOnlyList<IActionNoise>? noises)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (SavedStateException.Read("magic", r.ReadUInt32) != Magic) throw new SavedStateException("magic", "not a HerTools run state file");
        int version = SavedStateException.Read("version", r.ReadInt32);
        if (version is < 1 or > Version)
            throw new SavedStateException("version", $"run state version {version} is not supported (this version reads 1 to {Version})");
        bool sac = AlgorithmRegistry.Get(config.Algo).Learner == Sac.LearnerName;
        if (sac && version < 3) throw new SavedStateException("version", $"run state version {version} predates SAC, the config's learner");
        int copies = version == 1 ? 1 : SavedStateException.Read("n_envs", r.ReadInt32);
        if (copies != config.NEnvs || copies != envs.Count)
            throw new SavedStateException("n_envs", $"the state has {copies} environment copies, the config's n_envs is {config.NEnvs}");

        var ddpg = config.Ddpg;
        var env = envs[0];
        int maxEpisodeSteps = env.MaxEpisodeSteps;
        // Far beyond any budget, far below overflow: a counter near long.MaxValue would wrap in the loop's arithmetic.
        const long MaxCount = 1L << 53;
        Timesteps = SavedStateException.ReadInt64(r, "timesteps", 0, MaxCount);
        Episodes = SavedStateException.ReadInt64(r, "episodes", 0, Timesteps);
        GradientSteps = SavedStateException.ReadInt64(r, "gradient steps", 0, MaxCount);
        Cycles = SavedStateException.ReadInt64(r, "cycles", 0, Episodes);
        // What gradient_steps: -1 owes is at most one training interval: train_freq steps of every copy, or train_freq episodes.
        long owed = ddpg.Schedule == "cycle" ? Timesteps
            : Math.Min(Timesteps, (long)ddpg.TrainFreq * (ddpg.TrainFreqUnit == "episode" ? maxEpisodeSteps : copies));
        StepsSinceTrain = SavedStateException.ReadInt64(r, "steps since training", 0, owed);
        CycleEpisodes = SavedStateException.ReadInt32(r, "cycle episodes", 0, ddpg.Schedule == "cycle" ? ddpg.EpisodesPerCycle - 1 : 0);
        Copies = new EpisodeInProgress[copies];
        // Every copy is stepped once per step of the loop, so none has taken more than its share of the run's steps.
        long stepsPerCopy = (Timesteps + copies - 1) / copies;
        for (int i = 0; i < copies; i++)
        {
            Copies[i] = new EpisodeInProgress { Return = SavedStateException.ReadDouble(r, Field(i, "episode return")) };
            // An episode at the time limit has ended and a new one begun before any checkpoint.
            Copies[i].Length = SavedStateException.ReadInt32(r, Field(i, "episode length"), 0, (int)Math.Min(maxEpisodeSteps - 1, stepsPerCopy));
        }
        // Centuries of training at most: the progress reports turn it into a TimeSpan, which overflows near 2.9e4 years.
        WallTimeBefore = SavedStateException.ReadDouble(r, "wall time", 0, MaxWallTimeSeconds);
        LastEval = ReadRate(r, "last evaluation"); BestEval = ReadRate(r, "best evaluation");
        if (LastEval is double last && !(BestEval >= last)) throw new SavedStateException("best evaluation", $"{BestEval} is below the last evaluation {last}");
        LastEvalStep = SavedStateException.ReadInt64(r, "last evaluation step", -1, Timesteps);
        var space = env.ObservationSpace;
        for (int i = 0; i < copies; i++)
            Copies[i].Observation = new GoalObservation(ReadArray(r, Field(i, "observation"), env, space.Observation),
                ReadArray(r, Field(i, "achieved goal"), env, space.AchievedGoal), ReadArray(r, Field(i, "desired goal"), env, space.DesiredGoal));
        interval.Read(r, Timesteps, WallTimeBefore, hasEntropySums: version >= 3, sac);
        string[] names = ["action generator", "noise generator", "sampling generator"];
        for (int i = 0; i < generators.Length; i++) generators[i].ReadState(r, names[i]);
        bool hasNoise = SavedStateException.ReadBoolean(r, "noise flag");
        if (hasNoise != noises is not null)
            throw new SavedStateException("noise flag",
                hasNoise ? "the state has exploration noise, the config has none" : "the state has no exploration noise, the config has some");
        for (int i = 0; i < (noises?.Count ?? 0); i++)
        {
            try
            {
                noises![i].ReadState(r);
            }
            catch (SavedStateException e) when (copies > 1)
            {
                throw new SavedStateException(Field(i, e.Field), e.Problem, e);
            }
        }
        bool restored = true;
        for (int i = 0; i < copies; i++) restored &= ReadEnvState(r, envs[i], i, copies, version);
        EnvStateRestored = restored;
        if (r.BaseStream.CanSeek && r.BaseStream.Position != r.BaseStream.Length)
            throw new SavedStateException("end", $"{r.BaseStream.Length - r.BaseStream.Position} bytes follow the state");
    }

    // A length-prefixed block (-1: none), so an environment without state methods still checkpoints, and a checkpoint
    // stays readable by an environment that stopped (or started) saving its state.
    private static void WriteEnvState(BinaryWriter w, IGoalEnv? env)
    {
        if (env is not ISavesState stateful)
        {
            w.Write(-1);
            return;
        }
        using var block = new MemoryStream();
        using (var blockWriter = new BinaryWriter(block, System.Text.Encoding.UTF8, leaveOpen: true)) stateful.WriteState(blockWriter);
        w.Write(checked((int)block.Length));
        w.Write(block.GetBuffer(), 0, (int)block.Length);
    }

    /// <summary>Copy <paramref name="copy"/>'s environment state: inline before version 4 (every environment saved one
    /// then), since then the block <see cref="WriteEnvState"/> wrote, which the environment must read to its end. False
    /// when there is no block or the environment takes none (the episode in progress cannot go on).</summary>
    private bool ReadEnvState(BinaryReader r, IGoalEnv env, int copy, int copies, int version)
    {
        string field = $"{(copies == 1 ? "" : $"env copy {copy} ")}{env.Id} state";
        if (version < 4)
        {
            if (env is not ISavesState)
                throw new SavedStateException(field, $"this run state (version {version}) holds a state that this environment cannot read");
            ReadStateOf(r, env, copy, copies);
            return true;
        }
        // The block lies inside the file: its length is checked against what is left before anything is allocated.
        long left = r.BaseStream.CanSeek ? r.BaseStream.Length - r.BaseStream.Position - sizeof(int) : MaxEnvStateBytes;
        int length = SavedStateException.ReadInt32(r, field + " length", -1, (int)Math.Clamp(left, 0, MaxEnvStateBytes));
        if (length < 0) return false;
        byte[] bytes = SavedStateException.Read(field, () => r.ReadBytes(length));
        if (bytes.Length != length) throw new SavedStateException(field, "the file ends inside it");
        if (env is not ISavesState) return false;
        using var block = new MemoryStream(bytes, writable: false);
        ReadStateOf(new BinaryReader(block, System.Text.Encoding.UTF8), env, copy, copies);
        if (block.Position != length) throw new SavedStateException(field, $"the environment read {block.Position} of its {length} bytes");
        return true;
    }

    private void ReadStateOf(BinaryReader r, IGoalEnv env, int copy, int copies)
    {
        string prefix = copies == 1 ? "" : $"env copy {copy} ";
        try
        {
            ((ISavesState)env).ReadState(r);
        }
        catch (Exception e) when (e is not SavedStateException)
        {
            // A plug-in reads its own state: whatever it throws, the field is the environment's state.
            throw new SavedStateException($"{prefix}{env.Id} state", e is EndOfStreamException ? "the file ends inside it" : $"{e.GetType().Name}: {e.Message}",
                e);
        }
        catch (SavedStateException e) when (copies > 1)
        {
            throw new SavedStateException(Field(copy, e.Field), e.Problem, e);
        }
        if (env is IEpisodeClock clock && clock.ElapsedSteps != Copies[copy].Length)
            throw new SavedStateException($"{prefix}{env.Id} episode step", $"{clock.ElapsedSteps}, but the run's episode has {Copies[copy].Length} steps");
    }

    /// <summary>A field of copy <paramref name="copy"/>'s episode, named as it always was when there is one copy.</summary>
    private string Field(int copy, string name) => Copies.Length == 1 ? name : $"env copy {copy} {name}";
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
