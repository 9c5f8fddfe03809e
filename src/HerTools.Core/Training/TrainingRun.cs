using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Training;

/// <summary>
/// One training run: the environment, the HER buffer and the learner, stepped through the schedule, with
/// logs, evaluations and checkpoints at fixed step counts. Everything that decides what happens next lives
/// in fields that <see cref="WriteState"/> saves, which is what makes a resume continue bit for bit.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private const string AgentFile = "agent.bin", StateFile = "state.bin", ReplayFile = "replay.bin", ConfigFile = "config.yaml";
    private const uint StateMagic = 0x53525448; // "HTRS"
    private const int StateVersion = 1;

    private readonly HerConfig _config;
    private readonly string _runDirectory, _runId, _configHash;
    private readonly IGoalEnv _env, _evalEnv;
    private readonly HerReplayBuffer _buffer;
    private readonly Her _agent;
    private readonly IActionNoise? _noise;
    private readonly Rng _actionRng, _noiseRng, _sampleRng;
    private readonly ReplayBatch _batch;
    private readonly float[] _action;
    private readonly int _observationSize, _goalSize, _actionSize;
    private readonly IntervalStats _interval = new();
    private readonly Stopwatch _clock = new();
    private readonly ThreadChoice? _threadChoice;
    private readonly ThreadCountGovernor? _threadGovernor;
    private string? _lastThreadSwitch;

    // The loop's position: saved in every checkpoint.
    private long _timesteps, _episodes, _gradientSteps, _cycles;
    private long _stepsSinceTrain;
    private int _cycleEpisodes;
    private GoalObservation _obs = null!;
    private double _episodeReturn;
    private int _episodeLength;
    private double _wallTimeBefore; // training seconds of earlier sessions of this run
    private double? _lastEval, _bestEval;

    private CsvLog<ProgressRow>? _progressLog;
    private CsvLog<EvalRow>? _evalLog;
    private CheckpointStore? _store;
    private string? _lastCheckpoint, _bestCheckpoint;

    private TrainingRun(HerConfig config, string runDirectory)
    {
        _config = config;
        _runDirectory = runDirectory;
        _runId = string.IsNullOrEmpty(config.RunId) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory))) : config.RunId;
        _configHash = config.ComputeHash();
        _env = EnvRegistry.Make(config.Env.Id, config.Env.Options);
        _evalEnv = EnvRegistry.Make(config.Env.Id, config.Env.Options);
        _observationSize = _env.ObservationSpace.Observation.Size;
        _goalSize = _env.ObservationSpace.DesiredGoal.Size;
        _actionSize = _env.ActionSpace.Size;
        var algorithm = AlgorithmRegistry.Get(config.Algo);
        _buffer = new HerReplayBuffer(config.Ddpg.BufferSize, _observationSize, _goalSize, _actionSize, _env.MaxEpisodeSteps,
            GoalSelectionStrategyNames.Parse(config.Her.GoalSelectionStrategy), algorithm.Relabels ? config.Her.EffectiveRatio : 0.0, _env);
        _actionRng = Rng.ForStream(config.Seed, "actions");
        _noiseRng = Rng.ForStream(config.Seed, "noise");
        _sampleRng = Rng.ForStream(config.Seed, "sampling");
        var options = DdpgOptionsFrom(config);
        if (config.Threads == 0)
        {
            _threadChoice = ThreadCountProbe.Choose(options, _observationSize, _goalSize, _actionSize, _env.ActionSpace.Low, _env.ActionSpace.High, config.Ddpg.BatchSize);
            options = options with { Threads = _threadChoice.Threads };
            _threadGovernor = new ThreadCountGovernor(_threadChoice.Threads, _threadChoice.Rates.Count);
        }
        _noise = CreateNoise(config.Ddpg, _env.ActionSpace, _noiseRng);
        _batch = new ReplayBatch(config.Ddpg.BatchSize, _observationSize, _goalSize, _actionSize);
        _action = new float[_actionSize];
        _agent = new Her(algorithm, options, _observationSize, _goalSize, _env.ActionSpace); // last: nothing after it can throw
    }

    /// <summary>Starts a new run in <paramref name="runDirectory"/>, or resumes from a checkpoint.</summary>
    public static TrainingResult Run(HerConfig? config, string runDirectory, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken, string? resumeFrom)
    {
        using var run = Open(config, runDirectory, resumeFrom);
        return run.Loop(progress, cancellationToken);
    }

    /// <summary>A run ready to step: new, or restored from a checkpoint (then <paramref name="config"/> may be null).</summary>
    internal static TrainingRun Open(HerConfig? config, string runDirectory, string? resumeFrom)
    {
        runDirectory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory));
        CheckpointReader? reader = null;
        if (resumeFrom is not null)
        {
            reader = CheckpointStore.Open(CheckpointStore.ResolveCheckpointPath(resumeFrom));
            config = ResumeConfig(reader, config);
            // A branch is a run of its own: it takes its name from its folder, so its rows tell it apart.
            if (!IsSameFolder(reader.Info.RunDirectory, runDirectory)) config.RunId = "";
        }
        else if (config is null) throw new ArgumentNullException(nameof(config), "a config is needed unless resuming");
        else PrepareNewRunFolder(runDirectory);

        Directory.CreateDirectory(runDirectory);
        var run = new TrainingRun(config, runDirectory);
        try
        {
            if (reader is not null) run.Restore(reader);
            else run.Begin();
            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    /// <summary>Writes a regular checkpoint of the current state now (what a stop request does); returns its folder.</summary>
    internal string SaveCheckpointNow()
    {
        SaveCheckpoint();
        return _lastCheckpoint!;
    }

    /// <summary>A checkpoint's policy and a fresh environment of its run, for evaluation on its own.</summary>
    public static LoadedPolicy LoadPolicy(string checkpointPath, int threads)
    {
        var reader = CheckpointStore.Open(CheckpointStore.ResolveCheckpointPath(checkpointPath));
        var config = ReadConfig(reader);
        config.Threads = threads;
        var env = EnvRegistry.Make(config.Env.Id, config.Env.Options);
        var agent = new Her(AlgorithmRegistry.Get(config.Algo), DdpgOptionsFrom(config),
            env.ObservationSpace.Observation.Size, env.ObservationSpace.DesiredGoal.Size, env.ActionSpace);
        try
        {
            using var stream = reader.OpenFile(AgentFile);
            agent.Load(stream);
        }
        catch
        {
            agent.Dispose();
            throw;
        }
        return new LoadedPolicy(agent, env, config);
    }

    private static bool IsSameFolder(string a, string b) => string.Equals(
        Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)), StringComparison.Ordinal);

    private static void PrepareNewRunFolder(string runDirectory)
    {
        // A new run never writes over an earlier one: its logs would be mixed or lost.
        if (!Directory.Exists(runDirectory)) return;
        if (File.Exists(RunFiles.ProgressPath(runDirectory)) || CheckpointStore.List(runDirectory).Count > 0)
            throw new HerToolsException($"{runDirectory} already holds a run (progress.csv or checkpoints); resume it, or train into another folder");
    }

    private static HerConfig ResumeConfig(CheckpointReader reader, HerConfig? requested)
    {
        var saved = ReadConfig(reader);
        if (requested is null) return saved;
        // Only the budget and the thread count may change on resume: anything else would not be the same run.
        var comparable = requested.Clone();
        comparable.TotalTimesteps = saved.TotalTimesteps;
        comparable.Threads = saved.Threads;
        comparable.RunId = saved.RunId;
        if (comparable.ToYaml() != saved.ToYaml())
            throw new ConfigException($"differs from the config of checkpoint {reader.Info.Path}; on resume only total_timesteps and threads may change", key: "config");
        var merged = saved.Clone();
        merged.TotalTimesteps = requested.TotalTimesteps;
        merged.Threads = requested.Threads;
        return merged;
    }

    private static HerConfig ReadConfig(CheckpointReader reader)
    {
        using var stream = reader.OpenFile(ConfigFile);
        using var text = new StreamReader(stream);
        return ConfigLoader.LoadYaml(text.ReadToEnd(), Path.Combine(reader.Info.Path, ConfigFile));
    }

    private void Begin()
    {
        File.WriteAllText(RunFiles.ConfigPath(_runDirectory), $"# run_id: {_runId}\n# config_hash: {_configHash}\n" + WithRunId().ToYaml());
        _obs = _env.Reset(_config.Seed);
        _buffer.StartEpisode(_obs);
        _noise?.Reset();
        OpenLogs();
    }

    private HerConfig WithRunId()
    {
        var copy = _config.Clone();
        copy.RunId = _runId;
        return copy;
    }

    private void OpenLogs()
    {
        _progressLog = new CsvLog<ProgressRow>(RunFiles.ProgressPath(_runDirectory));
        _evalLog = new CsvLog<EvalRow>(RunFiles.EvalPath(_runDirectory));
        _store = new CheckpointStore(_runDirectory);
    }

    private IProgress<TrainingProgress>? _progress;

    private TrainingResult Loop(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        _progress = progress;
        if (_threadChoice is not null) Report(_threadChoice.Describe());
        long reportEvery = Math.Max(1, _config.TotalTimesteps / 100);
        _clock.Restart();
        var status = TrainingStatus.Completed;
        while (_timesteps < _config.TotalTimesteps)
        {
            if (cancellationToken.IsCancellationRequested) { status = TrainingStatus.Stopped; break; }
            Step();
            if (_timesteps % reportEvery == 0) Report(null);
        }
        if (status == TrainingStatus.Completed)
        {
            // The end of the budget always has an evaluation and a checkpoint, scheduled or not.
            if (_lastEvalStep != _timesteps) Evaluate();
            SaveBestIfPending();
            SaveCheckpoint();
        }
        else
        {
            SaveCheckpoint();
        }
        Report(status == TrainingStatus.Stopped ? $"stopped at step {_timesteps}; checkpoint written" : "done");
        return new TrainingResult(_runDirectory, _runId, _config, status, _timesteps, _episodes,
            TimeSpan.FromSeconds(WallTimeSeconds), WallTimeSeconds > 0 ? _timesteps / WallTimeSeconds : 0,
            _lastEval, _bestEval, RunFiles.ProgressPath(_runDirectory), RunFiles.EvalPath(_runDirectory),
            _lastCheckpoint, _bestCheckpoint ?? CheckpointStore.Best(_runDirectory)?.Path);
    }

    private long _lastEvalStep = -1;
    private bool _warnedTerminationKept;

    private double WallTimeSeconds => _wallTimeBefore + _clock.Elapsed.TotalSeconds;

    private void Step()
    {
        ChooseAction(_action);
        var step = _env.Step(_action);
        _buffer.AddStep(_action, step.Observation, step.Reward, step.Terminated, step.Truncated);
        _timesteps++;
        _stepsSinceTrain++;
        _episodeReturn += step.Reward;
        _episodeLength++;
        _obs = step.Observation;

        if (step.Terminated && !_warnedTerminationKept && _buffer.HerRatio > 0 && _env is not IComputesTerminated)
        {
            _warnedTerminationKept = true;
            Report($"warning: {_env.Id} ended an episode with terminated = true but does not implement IComputesTerminated, " +
                "so goals relabeled onto a terminal step keep its flag (wrong bootstrapping): implement IComputesTerminated", warning: true);
        }

        bool episodeEnded = step.Terminated || step.Truncated;
        if (episodeEnded)
        {
            _buffer.EndEpisode();
            _episodes++;
            _interval.AddEpisode(step.Info.IsSuccess, _episodeReturn);
            _obs = _env.Reset();
            _buffer.StartEpisode(_obs);
            _noise?.Reset();
            _episodeReturn = 0;
            _episodeLength = 0;
        }

        bool epochEnded = Train(episodeEnded);

        if (_config.Eval.EvalFreq > 0 ? _timesteps % _config.Eval.EvalFreq == 0 : epochEnded) Evaluate();
        if (_timesteps % _config.Log.LogInterval == 0) Log();
        SaveBestIfPending();
        if (_config.Checkpoint.CheckpointFreq > 0 && _timesteps % _config.Checkpoint.CheckpointFreq == 0 && _timesteps < _config.TotalTimesteps)
            SaveCheckpoint();
    }

    private void ChooseAction(Span<float> action)
    {
        var space = _env.ActionSpace;
        if (_timesteps < _config.Ddpg.LearningStarts)
        {
            UniformAction(space, action);
            return;
        }
        _agent.Act(_obs, action);
        if (_noise is not null)
        {
            Span<float> noise = stackalloc float[action.Length];
            _noise.Sample(noise);
            for (int i = 0; i < action.Length; i++)
                action[i] = Math.Clamp(action[i] + noise[i] * (space.High[i] - space.Low[i]) / 2f, space.Low[i], space.High[i]);
        }
        // The HER paper's random_eps: a share of steps explores with a uniformly random action.
        if (_config.Ddpg.RandomEps > 0 && _actionRng.NextDouble() < _config.Ddpg.RandomEps) UniformAction(space, action);
    }

    private void UniformAction(Box space, Span<float> action)
    {
        for (int i = 0; i < action.Length; i++) action[i] = (float)_actionRng.Uniform(space.Low[i], space.High[i]);
    }

    /// <summary>Runs the updates the schedule asks for after this step; true when a cycle-schedule epoch ended.</summary>
    private bool Train(bool episodeEnded)
    {
        var ddpg = _config.Ddpg;
        bool learning = _timesteps >= ddpg.LearningStarts && _buffer.TransitionCount >= 1;
        if (ddpg.Schedule == "cycle")
        {
            if (!episodeEnded || ++_cycleEpisodes < ddpg.EpisodesPerCycle) return false;
            _cycleEpisodes = 0;
            if (!learning) return false;
            for (int i = 0; i < ddpg.NBatches; i++) GradientStep();
            _agent.UpdateTargets();
            _stepsSinceTrain = 0;
            return ++_cycles % ddpg.NCycles == 0;
        }

        bool due = ddpg.TrainFreqUnit == "episode"
            ? episodeEnded && _episodes % ddpg.TrainFreq == 0
            : _timesteps % ddpg.TrainFreq == 0;
        if (!due) return false;
        if (!learning)
        {
            // Steps collected before learning starts are not owed updates (gradient_steps: -1 would burst).
            _stepsSinceTrain = 0;
            return false;
        }
        long n = ddpg.GradientSteps == -1 ? _stepsSinceTrain : ddpg.GradientSteps;
        for (long i = 0; i < n; i++)
        {
            GradientStep();
            _agent.UpdateTargets();
        }
        _stepsSinceTrain = 0;
        return false;
    }

    private void GradientStep()
    {
        _buffer.Sample(_config.Ddpg.BatchSize, _sampleRng, _batch);
        long started = Stopwatch.GetTimestamp();
        var stats = _agent.Update(_batch);
        if (_threadGovernor is not null) FollowThreadGovernor(_threadGovernor, Stopwatch.GetElapsedTime(started).TotalSeconds);
        _gradientSteps++;
        ThrowIfNotFinite("critic_loss", stats.CriticLoss);
        ThrowIfNotFinite("actor_loss", stats.ActorLoss);
        ThrowIfNotFinite("mean_q", stats.MeanQ);
        _interval.AddUpdate(stats.CriticLoss, stats.ActorLoss, stats.MeanQ, _batch.Count, _batch.RelabeledCount, _batch.ZeroRewardCount);
    }

    // threads: 0 during the run: the governor sees every update's duration and may move the count.
    private void FollowThreadGovernor(ThreadCountGovernor governor, double updateSeconds)
    {
        if (governor.Record(updateSeconds)) _agent.Learner.Threads = governor.Current;
        if (ReferenceEquals(governor.LastSwitch, _lastThreadSwitch)) return;
        _lastThreadSwitch = governor.LastSwitch;
        Report(_lastThreadSwitch);
    }

    private void ThrowIfNotFinite(string quantity, double value)
    {
        if (!double.IsFinite(value)) throw new TrainingDivergedException(_timesteps, quantity, value);
    }

    private void ThrowIfWeightsNotFinite()
    {
        if (!_agent.WeightsAreFinite()) throw new TrainingDivergedException(_timesteps, "weights", double.NaN);
    }

    private void Evaluate()
    {
        ThrowIfWeightsNotFinite(); // no evaluation row from a broken policy
        _clock.Stop();
        var result = Evaluator.Evaluate(_agent, _evalEnv, _config.Eval.NEvalEpisodes, _config.Eval.EvalSeed);
        _lastEval = result.SuccessRate;
        _lastEvalStep = _timesteps;
        Report(FormattableString.Invariant(
            $"evaluation at step {_timesteps}: success {result.SuccessRate:0.00}, mean return {result.MeanReturn:0.0}, mean final distance {result.MeanFinalDistance:0.000}"));
        _evalLog!.Append(new EvalRow
        {
            Timesteps = _timesteps, Episodes = _episodes, SuccessRate = result.SuccessRate,
            MeanReturn = result.MeanReturn, MeanFinalDistance = result.MeanFinalDistance,
        });
        if (_bestEval is null || result.SuccessRate > _bestEval)
        {
            _bestEval = result.SuccessRate;
            // Written once the step is complete (after its log row), so the copy resumes like any checkpoint.
            _bestPending = _config.Checkpoint.KeepBest;
        }
        _clock.Start();
    }

    private bool _bestPending;

    private void SaveBestIfPending()
    {
        if (!_bestPending) return;
        _bestPending = false;
        _clock.Stop();
        ThrowIfWeightsNotFinite();
        _bestCheckpoint = WriteCheckpoint(CheckpointStore.BestName, _config.Checkpoint.BestSaveReplayBuffer);
        _clock.Start();
    }

    private void Log()
    {
        ThrowIfWeightsNotFinite();
        double wall = WallTimeSeconds;
        _progressLog!.Append(_interval.ToRow(_runId, _config.Seed, _configHash, _timesteps, _episodes, _gradientSteps, wall, _lastEval));
        _interval.Restart(_timesteps, wall);
    }

    private void SaveCheckpoint()
    {
        _clock.Stop();
        ThrowIfWeightsNotFinite();
        _lastCheckpoint = WriteCheckpoint(CheckpointStore.StepName(_timesteps), _config.Checkpoint.SaveReplayBuffer);
        _store!.ApplyRetention(_config.Checkpoint.KeepLast);
        _clock.Start();
    }

    private string WriteCheckpoint(string name, bool withBuffer)
    {
        // The logs reach the disk before the checkpoint that vouches for them.
        _progressLog!.FlushToDisk();
        _evalLog!.FlushToDisk();
        var files = new List<CheckpointFile>
        {
            new(ConfigFile, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(WithRunId().ToYaml()); }),
            new(AgentFile, _agent.Save),
            new(StateFile, WriteState),
        };
        if (withBuffer) files.Add(new CheckpointFile(ReplayFile, _buffer.Save));
        var summary = new CheckpointSummary(_runId, _timesteps, _episodes, _config.Env.Id, _config.Algo, _lastEval, _bestEval, withBuffer)
        {
            Extra = new Dictionary<string, string> { ["seed"] = _config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["config_hash"] = _configHash },
        };
        return _store!.Save(name, summary, files);
    }

    private void WriteState(Stream stream)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        w.Write(StateMagic); w.Write(StateVersion);
        w.Write(_timesteps); w.Write(_episodes); w.Write(_gradientSteps); w.Write(_cycles);
        w.Write(_stepsSinceTrain); w.Write(_cycleEpisodes);
        w.Write(_episodeReturn); w.Write(_episodeLength);
        w.Write(WallTimeSeconds);
        WriteNullable(w, _lastEval); WriteNullable(w, _bestEval); w.Write(_lastEvalStep);
        WriteArray(w, _obs.Observation); WriteArray(w, _obs.AchievedGoal); WriteArray(w, _obs.DesiredGoal);
        _interval.Write(w);
        _actionRng.WriteState(w); _noiseRng.WriteState(w); _sampleRng.WriteState(w);
        w.Write(_noise is not null);
        _noise?.WriteState(w);
        _env.WriteState(w);
    }

    private void ReadState(Stream stream, string path)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadUInt32() != StateMagic) throw new CheckpointException(path, StateFile, CheckpointProblem.Malformed, "not a HerTools run state file");
        int version = r.ReadInt32();
        if (version != StateVersion) throw new CheckpointException(path, StateFile, CheckpointProblem.UnsupportedFormat, $"run state version {version} is not supported (this version reads {StateVersion})");
        _timesteps = r.ReadInt64(); _episodes = r.ReadInt64(); _gradientSteps = r.ReadInt64(); _cycles = r.ReadInt64();
        _stepsSinceTrain = r.ReadInt64(); _cycleEpisodes = r.ReadInt32();
        _episodeReturn = r.ReadDouble(); _episodeLength = r.ReadInt32();
        _wallTimeBefore = r.ReadDouble();
        _lastEval = ReadNullable(r); _bestEval = ReadNullable(r); _lastEvalStep = r.ReadInt64();
        _obs = new GoalObservation(ReadArray(r), ReadArray(r), ReadArray(r));
        _interval.Read(r);
        _actionRng.ReadState(r); _noiseRng.ReadState(r); _sampleRng.ReadState(r);
        if (r.ReadBoolean()) _noise!.ReadState(r);
        _env.ReadState(r);
    }

    private void Restore(CheckpointReader reader)
    {
        string path = reader.Info.Path;
        using (var s = reader.OpenFile(AgentFile)) _agent.Load(s);
        using (var s = reader.OpenFile(StateFile)) ReadState(s, path);
        if (reader.Has(ReplayFile))
        {
            using var s = reader.OpenFile(ReplayFile);
            _buffer.Load(s);
        }
        else
        {
            // A checkpoint saved without its buffer continues with an empty one: the episode in progress restarts.
            _obs = _env.Reset();
            _buffer.StartEpisode(_obs);
            _noise?.Reset();
            _episodeReturn = 0;
            _episodeLength = 0;
        }

        string sourceRun = reader.Info.RunDirectory;
        bool sameFolder = IsSameFolder(sourceRun, _runDirectory);
        long step = _timesteps;
        if (sameFolder)
        {
            // Continuing from an older checkpoint would leave the newer ones of the abandoned timeline beside
            // the new ones, and a later resume could pick one of them up.
            var newer = CheckpointStore.List(_runDirectory).Where(c => !c.IsBest && c.Step > step).Select(c => c.Name).ToList();
            if (newer.Count > 0)
                throw new HerToolsException($"{path} is not the latest checkpoint of {_runDirectory} ({string.Join(", ", newer)} are newer): " +
                    "resume from the latest, or branch into another folder");
            // Rows a dead process wrote after this checkpoint are cut, so no timestep appears twice.
            CsvLog<ProgressRow>.CutAfter(RunFiles.ProgressPath(_runDirectory), row => row.Timesteps <= step);
            CsvLog<EvalRow>.CutAfter(RunFiles.EvalPath(_runDirectory), row => row.Timesteps <= step);
        }
        else
        {
            // A branch starts its logs with the history up to the checkpoint.
            PrepareNewRunFolder(_runDirectory);
            CopyRows<ProgressRow>(RunFiles.ProgressPath(sourceRun), RunFiles.ProgressPath(_runDirectory), r => r.Timesteps <= step);
            CopyRows<EvalRow>(RunFiles.EvalPath(sourceRun), RunFiles.EvalPath(_runDirectory), r => r.Timesteps <= step);
        }
        if (!File.Exists(RunFiles.ConfigPath(_runDirectory)) || !sameFolder)
            File.WriteAllText(RunFiles.ConfigPath(_runDirectory), $"# run_id: {_runId}\n# config_hash: {_configHash}\n" + WithRunId().ToYaml());
        OpenLogs();
        _lastCheckpoint = path;
    }

    private static void CopyRows<TRow>(string from, string to, Func<TRow, bool> keep)
    {
        using var log = new CsvLog<TRow>(to);
        foreach (var row in CsvLog<TRow>.ReadAll(from).TakeWhile(keep)) log.Append(row);
    }

    /// <summary>Tells the front end (the <see cref="_progress"/> of the current <see cref="Loop"/>, if any) where the run is.</summary>
    private void Report(string? message, bool warning = false)
    {
        if (_progress is not { } progress) return;
        double wall = WallTimeSeconds;
        double rate = _clock.Elapsed.TotalSeconds > 0 ? _timesteps / Math.Max(wall, 1e-9) : 0;
        TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds((_config.TotalTimesteps - _timesteps) / rate) : null;
        double? trainSuccess = _interval.EpisodesEnded > 0 ? (double)_interval.Successes / _interval.EpisodesEnded : null;
        progress.Report(new TrainingProgress(_timesteps, _config.TotalTimesteps, _episodes, rate, trainSuccess, _lastEval,
            TimeSpan.FromSeconds(wall), remaining, message, warning));
    }

    private static DdpgOptions DdpgOptionsFrom(HerConfig c) => new()
    {
        HiddenSizes = c.Ddpg.HiddenSizes, Activation = c.Ddpg.Activation,
        ActorLearningRate = c.Ddpg.ActorLr, CriticLearningRate = c.Ddpg.CriticLr, Tau = c.Ddpg.Tau, Gamma = c.Ddpg.Gamma,
        ActionL2 = c.Ddpg.ActionL2, ClipReturn = c.Ddpg.ClipReturn, Normalize = c.Ddpg.Normalize, RelativeGoals = c.Ddpg.RelativeGoals, NormalizerClipRange = (float)c.Ddpg.NormClip,
        Threads = c.Threads, Seed = Rng.ForStream(c.Seed, "init").NextUInt64(),
    };

    private static IActionNoise? CreateNoise(DdpgConfig c, Box actionSpace, Rng rng) => c.ActionNoise switch
    {
        "gaussian" => new GaussianNoise(actionSpace.Size, c.NoiseSigma, rng),
        "ornstein_uhlenbeck" => new OrnsteinUhlenbeckNoise(actionSpace.Size, c.NoiseSigma, rng),
        _ => null,
    };

    private static void WriteNullable(BinaryWriter w, double? v) { w.Write(v.HasValue); w.Write(v ?? 0); }
    private static double? ReadNullable(BinaryReader r) { bool has = r.ReadBoolean(); double v = r.ReadDouble(); return has ? v : null; }
    private static void WriteArray(BinaryWriter w, float[] a) { w.Write(a.Length); foreach (float f in a) w.Write(f); }
    private static float[] ReadArray(BinaryReader r) { var a = new float[r.ReadInt32()]; for (int i = 0; i < a.Length; i++) a[i] = r.ReadSingle(); return a; }

    public void Dispose()
    {
        _progressLog?.Dispose();
        _evalLog?.Dispose();
        _agent.Dispose();
    }
}

/// <summary>A checkpoint's policy with an environment of its run, disposed together.</summary>
internal sealed record LoadedPolicy(Her Policy, IGoalEnv Env, HerConfig Config) : IDisposable
{
    public void Dispose() => Policy.Dispose();
}
