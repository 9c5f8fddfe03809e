using System.Diagnostics;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Core.Training;

/// <summary>
/// One training run, after Stable-Baselines3's off-policy loop: <see cref="Learn"/> repeats <see cref="CollectStep"/>
/// (act, step the environment, store the transition) and <see cref="Train"/> (the gradient steps the schedule asks
/// for), then runs the schedules of evaluations, log rows and checkpoints. What the run is made of is built by
/// <see cref="RunComponents"/>; everything that decides what happens next lives in its <see cref="RunState"/>, which
/// every checkpoint saves: that is what makes a resume continue bit for bit.
/// </summary>
internal sealed class TrainingRun : IDisposable
{
    private readonly RunConfig _config;
    private readonly RunFolder _folder;
    private readonly string _runDirectory, _runId, _configHash;
    private readonly RunComponents _parts;
    private readonly RunState _state;
    private readonly IntervalStats _interval = new();
    // One row per environment copy: the actions of a step, what the step returned, which copies then start an episode.
    private readonly float[] _actions;
    private readonly List<GoalObservation> _observations = [];
    private readonly StepResult[] _results;
    private readonly bool[] _ended;
    private readonly GoalObservation[] _firstObservations;
    private readonly Stopwatch _clock = new();

    private RunOutputs? _outputs;
    private string? _lastCheckpoint, _bestCheckpoint;
    private IProgress<TrainingProgress>? _progress;
    private string? _lastThreadSwitch;
    private bool _bestPending, _warnedTerminationKept;
    // An environment process failed: checkpoints from now on are written without the environment's state.
    private bool _envStateLost;
    /// <summary>Transitions before the step in progress: what the schedules compare with (<see cref="Reached"/>).</summary>
    private long _stepStart;

    private TrainingRun(RunConfig config, RunFolder folder)
    {
        _config = config;
        _folder = folder;
        string runDirectory = _runDirectory = folder.Path;
        _runId = string.IsNullOrEmpty(config.RunId) ? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDirectory))) : config.RunId;
        _configHash = config.ComputeHash();
        _parts = new RunComponents(config);
        int copies = _parts.Envs.Count;
        _state = new RunState(copies);
        _actions = new float[copies * _parts.Env.ActionSpace.Size];
        _results = new StepResult[copies];
        _ended = new bool[copies];
        _firstObservations = new GoalObservation[copies];
    }

    /// <summary>Starts a new run in the claimed <paramref name="folder"/>, or resumes from a checkpoint.</summary>
    public static TrainingResult Run(RunConfig? config, RunFolder folder, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken,
        string? resumeFrom, bool acceptChangedEnvPlugin = false)
    {
        using var run = Open(config, folder, resumeFrom, acceptChangedEnvPlugin);
        return run.Learn(progress, cancellationToken);
    }

    /// <summary>A run ready to step in a claimed folder (<see cref="RunFolder"/> decided it may be written): new, or
    /// restored from a checkpoint (then <paramref name="config"/> may be null). A plug-in that is not the file the
    /// checkpoint recorded stops it, unless <paramref name="acceptChangedEnvPlugin"/>.</summary>
    internal static TrainingRun Open(RunConfig? config, RunFolder folder, string? resumeFrom, bool acceptChangedEnvPlugin = false)
    {
        string runDirectory = folder.Path;
        CheckpointReader? reader = null;
        if (resumeFrom is not null)
        {
            reader = CheckpointStore.Open(CheckpointStore.ResolveCheckpointPath(resumeFrom));
            // The plug-ins before the config: reading the config loads them, and a missing one is named as such.
            EnvPluginRecord.Verify(reader, acceptChangedEnvPlugin);
            config = RunResume.ResumeConfig(reader, config);
            // A branch is a run of its own: it takes its name from its folder, so its rows tell it apart.
            if (!RunResume.IsSameFolder(reader.Info.RunDirectory, runDirectory)) config.RunId = "";
        }
        else if (config is null) throw new ArgumentNullException(nameof(config), "a config is needed unless resuming");

        var run = new TrainingRun(config, folder);
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

    private double WallTimeSeconds => _state.WallTimeBefore + _clock.Elapsed.TotalSeconds;

    // ---------------------------------------------------------------- the loop

    private TrainingResult Learn(IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        _progress = progress;
        if (_parts.ThreadChoice is not null) Report(_parts.ThreadChoice.Describe());
        foreach (string warning in _parts.EnvCheckWarnings) Report(warning, warning: true);
        if (!_state.EnvStateRestored)
            Report((_parts.Env is ISavesState ? $"the checkpoint holds no state of {_parts.Env.Id}" : $"{_parts.Env.Id} does not save its state (ISavesState)")
                + ", so the episode in progress at the checkpoint could not be continued: a fresh episode starts where the checkpoint was taken " +
                "(an exact resume needs WriteState/ReadState)", warning: true);
        long reportEvery = Math.Max(1, _config.TotalTimesteps / 100);
        _clock.Restart();
        var status = TrainingStatus.Completed;
        try
        {
            while (_state.Timesteps < _config.TotalTimesteps)
            {
                if (cancellationToken.IsCancellationRequested) { status = TrainingStatus.Stopped; break; }
                int episodesEnded = CollectStep();
                bool epochEnded = Train(episodesEnded);
                RunSchedules(epochEnded);
                if (Reached(reportEvery)) Report(null);
            }
            if (status == TrainingStatus.Completed)
            {
                // The end of the budget always has an evaluation and a checkpoint, scheduled or not.
                if (_state.LastEvalStep != _state.Timesteps) Evaluate();
                SaveBestIfPending();
            }
            SaveCheckpoint();
        }
        catch (ProcessEnvException failure) when (!_envStateLost)
        {
            // An environment process failed between two whole steps: what the run wrote up to the last one is
            // consistent (the failed step, sample or evaluation changed nothing it keeps), but the process's state is
            // gone. That is checkpointed, without it, so a resume goes on from here with a fresh episode.
            _envStateLost = true;
            SaveCheckpoint();
            Report($"environment process failed at step {_state.Timesteps}: checkpoint {_lastCheckpoint} written without its state", warning: true);
            throw new ProcessEnvException(failure.Command, $"{failure.Problem}; checkpoint {_lastCheckpoint} holds the run up to step " +
                $"{_state.Timesteps} (a resume starts a fresh episode there)", failure.LastStderrLines, failure);
        }
        Report(status == TrainingStatus.Stopped ? $"stopped at step {_state.Timesteps}; checkpoint written" : "done");
        return new TrainingResult(_runDirectory, _runId, _config, status, _state.Timesteps, _state.Episodes,
            TimeSpan.FromSeconds(WallTimeSeconds), WallTimeSeconds > 0 ? _state.Timesteps / WallTimeSeconds : 0,
            _state.LastEval, _state.BestEval, RunFiles.ProgressPath(_runDirectory), RunFiles.EvalPath(_runDirectory),
            _lastCheckpoint, _bestCheckpoint ?? CheckpointStore.Best(_runDirectory)?.Path);
    }

    /// <summary>
    /// One step of every environment copy into its lane of the buffer (Stable-Baselines3's step of a <c>VecEnv</c>): the
    /// actions chosen in one forward pass, the copies stepped (concurrently when they allow it), the transitions stored
    /// and the ended episodes restarted in copy order, so the outcome never depends on the threads' timing. The budget's
    /// last step steps only the copies the budget has room for. Returns how many episodes ended (new ones have begun).
    /// </summary>
    private int CollectStep()
    {
        var envs = _parts.Envs;
        _stepStart = _state.Timesteps;
        int copies = (int)Math.Min(envs.Count, _config.TotalTimesteps - _state.Timesteps);
        ChooseActions(copies);
        envs.Step(copies, _actions, _results);
        int actionSize = envs.ActionSize, ended = 0;
        for (int i = 0; i < copies; i++)
        {
            var step = _results[i];
            var lane = _parts.Buffer.Lanes[i];
            var episode = _state.Copies[i];
            lane.AddStep(_actions.AsSpan(i * actionSize, actionSize), step.Observation, step.Reward, step.Terminated, step.Truncated);
            _state.Timesteps++;
            _state.StepsSinceTrain++;
            episode.Return += step.Reward;
            episode.Length++;
            episode.Observation = step.Observation;
            WarnIfTerminationKept(step);
            _ended[i] = step.Terminated || step.Truncated;
            if (!_ended[i]) continue;
            lane.EndEpisode();
            _state.Episodes++;
            _interval.AddEpisode(step.Info.IsSuccess, episode.Return);
            ended++;
        }
        if (ended == 0) return 0;
        Array.Clear(_ended, copies, _ended.Length - copies);
        envs.Reset(_ended, _firstObservations);
        for (int i = 0; i < copies; i++)
            if (_ended[i]) StartEpisode(i, _firstObservations[i]);
        return ended;
    }

    private void WarnIfTerminationKept(StepResult step)
    {
        if (!step.Terminated || _warnedTerminationKept || _parts.Buffer.HerRatio == 0 || _parts.Env is IComputesTerminated) return;
        _warnedTerminationKept = true;
        Report($"warning: {_parts.Env.Id} ended an episode with terminated = true but does not implement IComputesTerminated, " +
            "so goals relabeled onto a terminal step keep its flag (wrong bootstrapping): implement IComputesTerminated", warning: true);
    }

    private void StartEpisode(int copy, GoalObservation first)
    {
        _state.Copies[copy].Start(first);
        _parts.Buffer.Lanes[copy].StartEpisode(first);
        _parts.Noises?[copy].Reset();
    }

    /// <summary>The actions of copies 0..<paramref name="copies"/>-1 into <see cref="_actions"/>: before learning starts
    /// uniform, then the policy's for all copies in one forward pass, each with its own noise process and <c>random_eps</c>
    /// draw, in copy order.</summary>
    private void ChooseActions(int copies)
    {
        var space = _parts.Env.ActionSpace;
        int size = space.Size;
        if (_state.Timesteps < _config.Ddpg.LearningStarts)
        {
            for (int i = 0; i < copies; i++) UniformAction(space, _actions.AsSpan(i * size, size));
            return;
        }
        _observations.Clear();
        for (int i = 0; i < copies; i++) _observations.Add(_state.Copies[i].Observation);
        _parts.Agent.Explore(_observations, _actions.AsSpan(0, copies * size));
        Span<float> noise = stackalloc float[size];
        for (int i = 0; i < copies; i++)
        {
            var action = _actions.AsSpan(i * size, size);
            if (_parts.Noises?[i] is { } noiseSource)
            {
                noiseSource.Sample(noise);
                for (int k = 0; k < size; k++)
                    action[k] = Math.Clamp(action[k] + noise[k] * (space.High[k] - space.Low[k]) / 2f, space.Low[k], space.High[k]);
            }
            // The HER paper's random_eps: a share of steps explores with a uniformly random action.
            if (_config.Ddpg.RandomEps > 0 && _parts.ActionRng.NextDouble() < _config.Ddpg.RandomEps) UniformAction(space, action);
        }
    }

    private void UniformAction(Box space, Span<float> action)
    {
        for (int i = 0; i < action.Length; i++) action[i] = (float)_parts.ActionRng.Uniform(space.Low[i], space.High[i]);
    }

    /// <summary>Whether the last step reached or passed a multiple of <paramref name="interval"/> transitions: with one copy,
    /// exactly when the step count is a multiple; with several, at the first step at or past each multiple.</summary>
    private bool Reached(long interval) => _state.Timesteps / interval > _stepStart / interval;

    /// <summary>Runs the updates the schedule asks for after this step, which ended <paramref name="episodesEnded"/>
    /// episodes; true when a cycle-schedule epoch ended.</summary>
    private bool Train(int episodesEnded)
    {
        var ddpg = _config.Ddpg;
        bool learning = _state.Timesteps >= ddpg.LearningStarts && _parts.Buffer.TransitionCount >= 1;
        if (ddpg.Schedule == "cycle")
        {
            // The HER paper's schedule: after every episodes_per_cycle episodes, n_batches updates, then one Polyak step.
            // Copies stepped in lockstep may end several episodes at once, and so complete more than one cycle.
            bool epochEnded = false;
            _state.CycleEpisodes += episodesEnded;
            while (_state.CycleEpisodes >= ddpg.EpisodesPerCycle)
            {
                _state.CycleEpisodes -= ddpg.EpisodesPerCycle;
                if (!learning) continue;
                for (int i = 0; i < ddpg.NBatches; i++) GradientStep();
                _parts.Agent.UpdateTargets();
                _state.StepsSinceTrain = 0;
                if (++_state.Cycles % ddpg.NCycles == 0) epochEnded = true;
            }
            return epochEnded;
        }

        // Stable-Baselines3's schedule: every train_freq steps (or episodes), gradient_steps updates, each with its Polyak step.
        // A step is one of every copy: train_freq counts those (SB3's num_collected_steps), the budget's last, shorter one included.
        long steps = (_state.Timesteps + _parts.Envs.Count - 1) / _parts.Envs.Count;
        bool due = ddpg.TrainFreqUnit == "episode"
            ? episodesEnded > 0 && _state.Episodes % ddpg.TrainFreq == 0
            : steps % ddpg.TrainFreq == 0;
        if (!due) return false;
        if (!learning)
        {
            // Steps collected before learning starts are not owed updates (gradient_steps: -1 would burst).
            _state.StepsSinceTrain = 0;
            return false;
        }
        long n = ddpg.GradientSteps == -1 ? _state.StepsSinceTrain : ddpg.GradientSteps;
        for (long i = 0; i < n; i++)
        {
            GradientStep();
            _parts.Agent.UpdateTargets();
        }
        _state.StepsSinceTrain = 0;
        return false;
    }

    /// <summary>
    /// One gradient step. The buffer samples a batch and relabels a share of its goals with achieved ones, the
    /// environment recomputing rewards and terminations (<see cref="Replay.HerReplayBuffer.Sample"/>); the agent makes
    /// the goals relative if asked and feeds its normalisers with the relabeled goals (<see cref="Agents.GoalConditionedAgent.Update"/>);
    /// the learner (DDPG, TD3 or SAC) computes the target, steps the critics, then the actor (<see cref="Agents.ILearner.Update"/>). The
    /// Polyak step of the targets follows on the schedule's terms (<see cref="Train"/>).
    /// </summary>
    private void GradientStep()
    {
        _parts.Buffer.Sample(_config.Ddpg.BatchSize, _parts.SampleRng, _parts.Batch);
        long started = Stopwatch.GetTimestamp();
        var stats = _parts.Agent.Update(_parts.Batch);
        if (_parts.ThreadGovernor is { } governor) FollowThreadGovernor(governor, Stopwatch.GetElapsedTime(started).TotalSeconds);
        _state.GradientSteps++;
        ThrowIfNotFinite("critic_loss", stats.CriticLoss);
        ThrowIfNotFinite("actor_loss", stats.ActorLoss);
        ThrowIfNotFinite("mean_q", stats.MeanQ);
        var batch = _parts.Batch;
        if (stats.EntropyCoef is float alpha) ThrowIfNotFinite("entropy_coef", alpha);
        if (stats.ActorLogProb is float logProb) ThrowIfNotFinite("actor_log_prob", logProb);
        _interval.AddUpdate(stats, batch.Count, batch.RelabeledCount, batch.ZeroRewardCount);
    }

    // threads: 0 during the run: the governor sees every update's duration and may move the count.
    private void FollowThreadGovernor(ThreadCountGovernor governor, double updateSeconds)
    {
        if (governor.Record(updateSeconds)) _parts.Agent.Learner.Threads = governor.Current;
        if (ReferenceEquals(governor.LastSwitch, _lastThreadSwitch)) return;
        _lastThreadSwitch = governor.LastSwitch;
        Report(_lastThreadSwitch);
    }

    // ---------------------------------------------------------------- evaluations, logs and checkpoints

    /// <summary>What hangs off the loop after each step (Stable-Baselines3's callbacks): evaluations, log rows, checkpoints.</summary>
    private void RunSchedules(bool epochEnded)
    {
        if (_config.Eval.EvalFreq > 0 ? Reached(_config.Eval.EvalFreq) : epochEnded) Evaluate();
        if (Reached(_config.Log.LogInterval)) Log();
        SaveBestIfPending();
        if (_config.Checkpoint.CheckpointFreq > 0 && Reached(_config.Checkpoint.CheckpointFreq) && _state.Timesteps < _config.TotalTimesteps)
            SaveCheckpoint();
    }

    private void Evaluate()
    {
        ThrowIfWeightsNotFinite(); // no evaluation row from a broken policy
        _clock.Stop();
        var result = Evaluator.EvaluateBatched(_parts.Agent, _parts.EvalEnvs, _config.Eval.NEvalEpisodes, _config.Eval.EvalSeed);
        _state.LastEval = result.SuccessRate;
        _state.LastEvalStep = _state.Timesteps;
        Report(FormattableString.Invariant($"evaluation at step {_state.Timesteps}: success {result.SuccessRate:0.00}, ") +
            FormattableString.Invariant($"mean return {result.MeanReturn:0.0}, mean final distance {result.MeanFinalDistance:0.000}"));
        var row = new EvalRow
        {
            Timesteps = _state.Timesteps, Episodes = _state.Episodes, SuccessRate = result.SuccessRate,
            MeanReturn = result.MeanReturn, MeanFinalDistance = result.MeanFinalDistance,
        };
        _outputs!.Append(row);
        if (_state.BestEval is null || result.SuccessRate > _state.BestEval)
        {
            _state.BestEval = result.SuccessRate;
            // Written once the step is complete (after its log row), so the copy resumes like any checkpoint.
            _bestPending = _config.Checkpoint.KeepBest;
        }
        _clock.Start();
    }

    private void Log()
    {
        ThrowIfWeightsNotFinite();
        double wall = WallTimeSeconds;
        var row = _interval.ToRow(_parts.ProgressSchema, _runId, _config.Seed, _configHash, _state.Timesteps, _state.Episodes,
            _state.GradientSteps, wall, _state.LastEval);
        _outputs!.Append(row);
        _interval.Restart(_state.Timesteps, wall);
    }

    private void SaveBestIfPending()
    {
        if (!_bestPending) return;
        _bestPending = false;
        _clock.Stop();
        ThrowIfWeightsNotFinite();
        _bestCheckpoint = WriteCheckpoint(CheckpointStore.BestName, _config.Checkpoint.BestSaveReplayBuffer);
        _clock.Start();
    }

    private void SaveCheckpoint()
    {
        _clock.Stop();
        ThrowIfWeightsNotFinite();
        _lastCheckpoint = WriteCheckpoint(CheckpointStore.StepName(_state.Timesteps), _config.Checkpoint.SaveReplayBuffer);
        _outputs!.Checkpoints.ApplyRetention(_config.Checkpoint.KeepLast);
        _clock.Start();
    }

    private string WriteCheckpoint(string name, bool withBuffer)
    {
        var files = RunCheckpoint.Files(WithRunId(), _parts, s => _state.Write(s, WallTimeSeconds, _interval, _parts, withEnvState: !_envStateLost),
            withBuffer);
        var summary = new CheckpointSummary(_runId, _state.Timesteps, _state.Episodes, _config.Env.Id, _config.Algo, _state.LastEval, _state.BestEval,
            withBuffer)
        {
            Extra = new Dictionary<string, string>
            {
                ["seed"] = _config.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture), ["config_hash"] = _configHash,
            },
        };
        // The logs reach the disk before the checkpoint that vouches for them, and it records their lengths.
        return _outputs!.SaveCheckpoint(name, summary, files);
    }

    private void ThrowIfNotFinite(string quantity, double value)
    {
        if (!double.IsFinite(value)) throw new TrainingDivergedException(_state.Timesteps, quantity, value);
    }

    private void ThrowIfWeightsNotFinite()
    {
        if (!_parts.Agent.WeightsAreFinite()) throw new TrainingDivergedException(_state.Timesteps, "weights", double.NaN);
    }

    /// <summary>Tells the front end (the <see cref="_progress"/> of the current <see cref="Learn"/>, if any) where the run is.</summary>
    private void Report(string? message, bool warning = false)
    {
        if (_progress is not { } progress) return;
        double wall = WallTimeSeconds;
        double rate = _clock.Elapsed.TotalSeconds > 0 ? _state.Timesteps / Math.Max(wall, 1e-9) : 0;
        TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds((_config.TotalTimesteps - _state.Timesteps) / rate) : null;
        double? trainSuccess = _interval.EpisodesEnded > 0 ? (double)_interval.Successes / _interval.EpisodesEnded : null;
        progress.Report(new TrainingProgress(_state.Timesteps, _config.TotalTimesteps, _state.Episodes, rate, trainSuccess, _state.LastEval,
            TimeSpan.FromSeconds(wall), remaining, message, warning));
    }

    // ---------------------------------------------------------------- beginning and resuming

    private void Begin()
    {
        RunResume.WriteRunConfig(_folder, _runId, _configHash, WithRunId());
        for (int i = 0; i < _parts.Envs.Count; i++) StartEpisode(i, _parts.Envs[i].Reset(RunComponents.EnvSeed(_config, i)));
        OpenLogs();
    }

    private void Restore(CheckpointReader reader)
    {
        string path = reader.Info.Path;
        // A checkpoint saved without its buffer continues with an empty one: the episode in progress restarts.
        if (!RunCheckpoint.Restore(reader, _config, _parts, _state, _interval))
            for (int i = 0; i < _parts.Envs.Count; i++) StartEpisode(i, _parts.Envs[i].Reset());
        // An environment without state methods cannot continue the episodes in progress either.
        else if (!_state.EnvStateRestored) StartFreshEpisodes();
        RunResume.CheckBudget(reader, _config, _state.Timesteps);

        string sourceRun = reader.Info.RunDirectory;
        RunResume.AlignLogs(reader, sourceRun, _runDirectory, _state.Timesteps, _parts.ProgressColumns);
        // Rewritten on every resume: config.yaml says what the run trains with now, a new budget included.
        RunResume.WriteRunConfig(_folder, _runId, _configHash, WithRunId());
        OpenLogs();
        _lastCheckpoint = path;
    }

    // Without the environment's state the episodes in progress cannot go on: each ends where it stands (its steps stay
    // in the buffer) and a fresh one starts, reset with a seed fixed by the run's seed and step, so two resumes agree.
    private void StartFreshEpisodes()
    {
        string step = _state.Timesteps.ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (int i = 0; i < _parts.Envs.Count; i++)
        {
            _parts.Buffer.Lanes[i].AbandonEpisode();
            string stream = i == 0 ? "fresh-episode-" + step : $"fresh-episode-{step}-copy-{i}";
            StartEpisode(i, _parts.Envs[i].Reset(Randomness.Rng.ForStream(_config.Seed, stream).NextUInt64()));
        }
    }

    private RunConfig WithRunId()
    {
        var copy = _config.Clone();
        copy.RunId = _runId;
        return copy;
    }

    private void OpenLogs()
    {
        _outputs = new RunOutputs(_runDirectory, _parts.ProgressColumns, _config.Log.Tensorboard);
    }

    public void Dispose()
    {
        _outputs?.Dispose();
        _parts.Dispose();
    }
}
