using System.Text;
using HerTools.Core.Agents;
using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Training;

/// <summary>What a training run puts in a checkpoint, and reading it back: the config, the agent, the run state, the buffer.</summary>
internal static class RunCheckpoint
{
    public const string AgentFile = "agent.bin", StateFile = "state.bin", ReplayFile = "replay.bin", ConfigFile = "config.yaml";

    /// <summary>
    /// A checkpoint's policy and a fresh environment of its run, for evaluation on its own. Besides the hashes of every
    /// file, the content of <c>config.yaml</c>, <c>agent.bin</c> and <c>state.bin</c> is checked (a checkpoint that would
    /// not resume is not evaluated either); <c>replay.bin</c> is hashed but not loaded.
    /// </summary>
    /// <exception cref="CheckpointException">A file is missing, corrupt, not a regular file, or disagrees with the
    /// config or the environment; the message names the file and the field.</exception>
    /// <exception cref="EnvPluginChangedException">A plug-in is not the file the checkpoint recorded, and
    /// <paramref name="acceptChangedEnvPlugin"/> is false.</exception>
    public static LoadedPolicy LoadPolicy(string checkpointPath, int threads, bool acceptChangedEnvPlugin = false)
    {
        var reader = CheckpointStore.Open(CheckpointStore.ResolveCheckpointPath(checkpointPath));
        // The plug-ins before the config: reading the config loads them, and a missing one is named as such.
        EnvPluginRecord.Verify(reader, acceptChangedEnvPlugin);
        var config = ReadConfig(reader);
        config.Threads = threads;
        var env = MakeEnv(reader, config);
        Agents.GoalConditionedAgent? agent = null;
        try
        {
            // The run state first (it needs no networks), into throw-away parts: evaluation starts its own episodes.
            var state = new RunState(config.NEnvs);
            var stateEnvs = MakeCopies(reader, config);
            try
            {
                Rng[] generators = [new(0), new(0), new(0)];
                var noises = RunComponents.CreateNoises(config, env.ActionSpace, generators[1]);
                Load(reader, StateFile, s => state.Read(s, config, new IntervalStats(), stateEnvs, generators, noises));
            }
            finally
            {
                foreach (var copy in stateEnvs) (copy as IDisposable)?.Dispose(); // environment processes end here
            }
            agent = RunComponents.CreateAgent(config, RunComponents.AgentOptions(config), env);
            Load(reader, AgentFile, agent.Load);
            CheckState(reader, state, agent);
        }
        catch
        {
            agent?.Dispose();
            (env as IDisposable)?.Dispose(); // an environment process ends here too
            throw;
        }
        return new LoadedPolicy(agent, env, config);
    }

    /// <summary>
    /// Loads a checkpoint into a run's freshly built parts and position: the agent, the run state and (when the
    /// checkpoint has it) the buffer, each checked against the config and the environment, and the files against each
    /// other (the step and episode the manifest states, the learner's update count, the episode in progress).
    /// </summary>
    /// <returns>Whether the buffer was restored (without it the run must begin a new episode).</returns>
    /// <exception cref="CheckpointException">A file disagrees with the config, the environment or another file.</exception>
    public static bool Restore(CheckpointReader reader, RunConfig config, RunComponents parts, RunState state, IntervalStats interval)
    {
        Load(reader, AgentFile, parts.Agent.Load);
        Load(reader, StateFile, s => state.Read(s, config, interval, parts));
        CheckState(reader, state, parts.Agent);
        if (!reader.Has(ReplayFile)) return false;
        Load(reader, ReplayFile, parts.Buffer.Load);
        var lanes = parts.Buffer.Lanes;
        for (int i = 0; i < lanes.Count; i++)
        {
            // Each copy's lane must hold the episode its state continues, and nothing a run could not have stored.
            var buffer = lanes[i];
            var episode = state.Copies[i];
            string field = lanes.Count == 1 ? "episode in progress" : $"env copy {i} episode in progress";
            if (!buffer.IsEpisodeInProgress || buffer.CurrentEpisodeSteps != episode.Length)
                throw Disagreement(reader, ReplayFile, field,
                    $"{(buffer.IsEpisodeInProgress ? $"has {buffer.CurrentEpisodeSteps} steps" : "is absent")}; {StateFile} has one of {episode.Length} steps");
            if (!buffer.EpisodeInProgressEndsAt(episode.Observation))
                throw Disagreement(reader, ReplayFile, field, $"does not end in the observation {StateFile} continues from");
            if (buffer.FindStoredOutside(parts.Env.ActionSpace, parts.Env is IKeepsWithinSpaces ? parts.Env.ObservationSpace : null) is string outside)
                throw Disagreement(reader, ReplayFile, lanes.Count == 1 ? outside : $"env copy {i} {outside}",
                    $"lies outside {parts.Env.Id}'s spaces, where training keeps what it stores");
        }
        if (parts.Buffer.TransitionCount > state.Timesteps)
            throw Disagreement(reader, ReplayFile, "transition count", $"{parts.Buffer.TransitionCount}, more than the run's {state.Timesteps} steps");
        return true;
    }

    /// <summary>
    /// Checks a checkpoint whole without using it: every file's hash (opening it), then the content of every file as a
    /// resume would load it, into parts built from its config (one thread, no run folder touched).
    /// </summary>
    /// <exception cref="CheckpointException">What is wrong, naming the file and the field.</exception>
    public static void Verify(string checkpointPath)
    {
        var reader = CheckpointStore.Open(checkpointPath);
        var config = ReadConfig(reader);
        config.Threads = 1;
        (MakeEnv(reader, config) as IDisposable)?.Dispose();
        using var parts = new RunComponents(config);
        Restore(reader, config, parts, new RunState(config.NEnvs), new IntervalStats());
    }

    /// <summary>The state's counters against the manifest and the learner: the files must describe the same moment.</summary>
    private static void CheckState(CheckpointReader reader, RunState state, GoalConditionedAgent agent)
    {
        var info = reader.Info;
        if (state.Timesteps != info.Step)
            throw Disagreement(reader, StateFile, "timesteps", $"{state.Timesteps}, but {CheckpointStore.ManifestFileName} says step {info.Step}");
        if (state.Episodes != info.Episode)
            throw Disagreement(reader, StateFile, "episodes", $"{state.Episodes}, but {CheckpointStore.ManifestFileName} says episode {info.Episode}");
        if (state.LastEval != info.EvalSuccessRate || state.BestEval != info.BestEvalSuccessRate)
            throw Disagreement(reader, StateFile, "evaluations",
                $"last {state.LastEval}, best {state.BestEval}, but {CheckpointStore.ManifestFileName} says {info.EvalSuccessRate}, " +
                $"{info.BestEvalSuccessRate}");
        if (state.GradientSteps != agent.Learner.UpdateCount)
            throw Disagreement(reader, StateFile, "gradient steps", $"{state.GradientSteps}, but {AgentFile} has taken {agent.Learner.UpdateCount}");
    }

    private static CheckpointException Disagreement(CheckpointReader reader, string fileName, string field, string problem) =>
        new(reader.Info.Path, fileName, field, CheckpointProblem.InvalidContent, problem);

    /// <summary>
    /// Reads one file of the checkpoint with <paramref name="load"/>; whatever goes wrong in there becomes a
    /// <see cref="CheckpointException"/> naming the file (and the field, when the reader named one). The catch-all is
    /// deliberate: a checkpoint is input from anyone, and its refusal must read the same whatever reader tripped.
    /// </summary>
    private static void Load(CheckpointReader reader, string fileName, Action<Stream> load)
    {
        string path = reader.Info.Path;
        try
        {
            using var stream = reader.OpenFile(fileName);
            load(stream);
        }
        catch (CheckpointException)
        {
            throw;
        }
        catch (SavedStateException e)
        {
            throw new CheckpointException(path, fileName, e.Field, CheckpointProblem.InvalidContent, e.Problem, e);
        }
        catch (ReplayBufferFormatException e)
        {
            throw new CheckpointException(path, fileName, CheckpointProblem.InvalidContent, e.Message, e);
        }
        catch (EndOfStreamException e)
        {
            throw new CheckpointException(path, fileName, CheckpointProblem.InvalidContent, "the file ends before its content does", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new CheckpointException(path, fileName, CheckpointProblem.InvalidContent, $"{e.GetType().Name}: {e.Message}", e);
        }
    }

    /// <summary>The config a checkpoint was written with.</summary>
    /// <exception cref="CheckpointException">Its <c>config.yaml</c> is not a valid config (what a config error would say, as
    /// a refusal of the checkpoint: the file is part of it).</exception>
    public static RunConfig ReadConfig(CheckpointReader reader)
    {
        try
        {
            using var stream = reader.OpenFile(ConfigFile);
            using var text = new StreamReader(stream, new UTF8Encoding(false, throwOnInvalidBytes: true));
            return ConfigLoader.LoadYaml(text.ReadToEnd(), Path.Combine(reader.Info.Path, ConfigFile));
        }
        catch (Exception e) when (e is ConfigException or DecoderFallbackException)
        {
            throw new CheckpointException(reader.Info.Path, ConfigFile, CheckpointProblem.InvalidContent, e.Message, e);
        }
    }

    /// <summary>The environment of the checkpoint's config; one it does not know or cannot build refuses the checkpoint.</summary>
    private static IGoalEnv MakeEnv(CheckpointReader reader, RunConfig config)
    {
        try
        {
            var env = GoalEnvFactory.Make(config);
            try
            {
                // A buffer too small for an episode of each copy could not be built: refused like any other bad key of config.yaml.
                ConfigValidator.CheckRunnable(config, env.MaxEpisodeSteps, Path.Combine(reader.Info.Path, ConfigFile));
            }
            catch
            {
                (env as IDisposable)?.Dispose();
                throw;
            }
            return env;
        }
        // A child process that fails is its own error (named command, stderr), not the checkpoint's.
        catch (Exception e) when (e is HerToolsException or ArgumentException && e is not (CheckpointException or ProcessEnvException))
        {
            throw new CheckpointException(reader.Info.Path, ConfigFile, "env", CheckpointProblem.InvalidContent, e.Message, e);
        }
    }

    /// <summary>The <c>n_envs</c> environment copies of the checkpoint's config (a state file holds each one's state).</summary>
    private static IGoalEnv[] MakeCopies(CheckpointReader reader, RunConfig config)
    {
        var copies = new IGoalEnv[config.NEnvs];
        for (int i = 0; i < copies.Length; i++) copies[i] = MakeEnv(reader, config);
        return copies;
    }

    /// <summary>The files of a checkpoint of a run; <paramref name="writeState"/> writes <c>state.bin</c>.</summary>
    public static List<CheckpointFile> Files(RunConfig configWithRunId, RunComponents parts, Action<Stream> writeState, bool withBuffer)
    {
        var files = new List<CheckpointFile>
        {
            new(ConfigFile, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(configWithRunId.ToYaml()); }),
            new(AgentFile, parts.Agent.Save),
            new(StateFile, writeState),
        };
        if (withBuffer) files.Add(new CheckpointFile(ReplayFile, parts.Buffer.Save));
        if (configWithRunId.Env.Assemblies.Length > 0)
            files.Add(new CheckpointFile(EnvPluginRecord.FileName, s => EnvPluginRecord.Write(s, configWithRunId)));
        return files;
    }
}
