using TorchSharp;

namespace HerTools.Core.Agents;

/// <summary>
/// The checks every learner's <c>Load</c> makes on its saved state besides the lengths and finiteness
/// <see cref="TensorIo"/> and <see cref="FlatAdam"/> check: the file is this learner's, of this format and of these
/// networks, and no parameter lies where training cannot take it. Each failure is a <see cref="SavedStateException"/>
/// naming the field.
/// </summary>
internal static class SavedLearner
{
    /// <summary>Reads and checks the header, the format version and the layout string <c>Save</c> wrote first.</summary>
    /// <param name="reader">The saved state, at its start.</param>
    /// <param name="learner">The learner's display name in messages: DDPG, TD3, SAC.</param>
    /// <param name="header">The header this learner writes.</param>
    /// <param name="version">The format version this build reads.</param>
    /// <param name="layout">This learner's layout string (networks and settings the state's shapes depend on).</param>
    public static void ReadPreamble(BinaryReader reader, string learner, string header, int version, string layout)
    {
        string savedHeader = SavedStateException.Read("header", reader.ReadString);
        if (savedHeader != header) throw new SavedStateException("header",
            $"not a saved {learner} learner (header '{Checkpoints.CheckpointNames.Printable(savedHeader)}')");
        int savedVersion = SavedStateException.Read("format version", reader.ReadInt32);
        if (savedVersion != version) throw new SavedStateException("format version",
            $"saved {learner} learner has format version {savedVersion}, this build reads {version}");
        string savedLayout = SavedStateException.Read("layout", reader.ReadString);
        if (savedLayout != layout) throw new SavedStateException("layout",
            $"saved {learner} learner has networks '{Checkpoints.CheckpointNames.Printable(savedLayout)}', this one has {layout}");
    }

    /// <summary>
    /// Refuses a network holding a parameter further from 0 than training can take it: initial weights and biases lie
    /// in [-1/sqrt(fan_in), 1/sqrt(fan_in)], within [-1, 1]; Adam moves each by at most
    /// <see cref="FlatAdam.MaxStepPerLearningRate"/> learning rates a step, and a target network averages its online
    /// network's past values, so <paramref name="optimizer"/> is the online network's.
    /// </summary>
    public static void CheckReachable(Mlp network, string field, FlatAdam optimizer)
    {
        double bound = 1 + FlatAdam.MaxStepPerLearningRate * optimizer.LearningRate * optimizer.Steps;
        using var scope = torch.NewDisposeScope();
        double largest = network.FlatParameters.abs().max().item<float>();
        if (largest > bound * (1 + 1e-5))
            throw new SavedStateException(field,
                $"hold a value of magnitude {largest:G4}; {optimizer.Steps} Adam steps at learning rate {optimizer.LearningRate:G4} reach at most {bound:G4}");
    }

    /// <summary>Refuses an optimiser whose step count is not <paramref name="expected"/>, which the update schedule fixes.</summary>
    public static void CheckSteps(FlatAdam optimizer, string name, long expected, string why)
    {
        if (optimizer.Steps != expected)
            throw new SavedStateException($"{name} Adam steps", $"{optimizer.Steps}, but {expected} were expected: {why}");
    }
}
