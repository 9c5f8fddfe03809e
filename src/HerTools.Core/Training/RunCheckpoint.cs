using HerTools.Core.Checkpoints;
using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>What a training run puts in a checkpoint, and reading it back: the config, the agent, the run state, the buffer.</summary>
internal static class RunCheckpoint
{
    public const string AgentFile = "agent.bin", StateFile = "state.bin", ReplayFile = "replay.bin", ConfigFile = "config.yaml";

    /// <summary>A checkpoint's policy and a fresh environment of its run, for evaluation on its own.</summary>
    public static LoadedPolicy LoadPolicy(string checkpointPath, int threads)
    {
        var reader = CheckpointStore.Open(CheckpointStore.ResolveCheckpointPath(checkpointPath));
        var config = ReadConfig(reader);
        config.Threads = threads;
        var env = EnvRegistry.Make(config.Env.Id, config.Env.Options);
        var agent = RunComponents.CreateAgent(config, RunComponents.AgentOptions(config), env);
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

    /// <summary>The config a checkpoint was written with.</summary>
    public static HerConfig ReadConfig(CheckpointReader reader)
    {
        using var stream = reader.OpenFile(ConfigFile);
        using var text = new StreamReader(stream);
        return ConfigLoader.LoadYaml(text.ReadToEnd(), Path.Combine(reader.Info.Path, ConfigFile));
    }

    /// <summary>The files of a checkpoint of a run; <paramref name="writeState"/> writes <c>state.bin</c>.</summary>
    public static List<CheckpointFile> Files(HerConfig configWithRunId, RunComponents parts, Action<Stream> writeState, bool withBuffer)
    {
        var files = new List<CheckpointFile>
        {
            new(ConfigFile, s => { using var w = new StreamWriter(s, leaveOpen: true); w.Write(configWithRunId.ToYaml()); }),
            new(AgentFile, parts.Agent.Save),
            new(StateFile, writeState),
        };
        if (withBuffer) files.Add(new CheckpointFile(ReplayFile, parts.Buffer.Save));
        return files;
    }
}
