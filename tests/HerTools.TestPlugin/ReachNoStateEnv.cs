using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Envs;

namespace HerTools.TestPlugin;

/// <summary>Reach2DNoState-v0: <see cref="ReachEnvBase"/> without WriteState/ReadState (they are optional).</summary>
[GoalEnvironment("Reach2DNoState-v0", Description = "2D point reaching from a plug-in (no saved state)", MaxEpisodeSteps = 25)]
public sealed class ReachNoStateEnv(
    [Description("success radius around the goal"), Range(0.01, 1.0)] double distanceThreshold = 0.1)
    : ReachEnvBase(distanceThreshold, "[-0.8, 0.8]", 25)
{
    public override string Id => "Reach2DNoState-v0";
}
