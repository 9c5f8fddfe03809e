using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Envs;

namespace HerTools.TestPlugin;

/// <summary>Reach2D-v0: <see cref="ReachEnvBase"/> with its state saved, so a resumed run continues bit for bit.</summary>
[GoalEnvironment("Reach2D-v0", Description = "2D point reaching from a plug-in (saves its state)", MaxEpisodeSteps = 25)]
public sealed class ReachEnv(
    [Description("success radius around the goal"), Range(0.01, 1.0)] double distanceThreshold = 0.1,
    [Description("goal coordinates range, a JSON pair [low, high]")] string goalRange = "[-0.8, 0.8]",
    [Description("time limit in steps"), Range(1, 1000)] int maxEpisodeSteps = 25)
    : ReachEnvBase(distanceThreshold, goalRange, maxEpisodeSteps), ISavesState
{
    public override string Id => "Reach2D-v0";

    public void WriteState(BinaryWriter writer)
    {
        writer.Write(X); writer.Write(Y); writer.Write(Gx); writer.Write(Gy); writer.Write(T);
        Random.WriteState(writer);
    }

    public void ReadState(BinaryReader reader)
    {
        X = reader.ReadSingle(); Y = reader.ReadSingle(); Gx = reader.ReadSingle(); Gy = reader.ReadSingle(); T = reader.ReadInt32();
        Random.ReadState(reader);
    }
}
