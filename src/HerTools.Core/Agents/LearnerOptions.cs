namespace HerTools.Core.Agents;

/// <summary>
/// Everything <see cref="Ddpg"/> needs to know about its networks and its update; the training
/// config's <c>ddpg:</c> section maps onto it, and the defaults are the config's: 256x256 ReLU networks,
/// Adam at 1e-3, tau 0.05, gamma 0.98 (the HER paper's values), with the paper's three additions
/// (<see cref="ActionL2"/> 1.0, <see cref="ClipReturn"/>, <see cref="Normalize"/>) off until asked for.
/// </summary>
public sealed record LearnerOptions
{
    /// <summary>Widths of the hidden layers, the same for actor and critic.</summary>
    public int[] HiddenSizes { get; init; } = [256, 256];

    /// <summary>Activation between hidden layers, one of <see cref="Mlp.ActivationNames"/>.</summary>
    public string Activation { get; init; } = "relu";

    public double ActorLearningRate { get; init; } = 1e-3;
    public double CriticLearningRate { get; init; } = 1e-3;

    /// <summary>Polyak coefficient: each target update moves the targets this share of the way to the online networks.</summary>
    public double Tau { get; init; } = 0.05;

    public double Gamma { get; init; } = 0.98;

    /// <summary>
    /// Weight of the penalty on the squared pre-scaling actions (tanh outputs) in the actor loss.
    /// The HER paper uses 1.0: it keeps the actor out of tanh saturation, where its gradient vanishes. 0 (the default) turns it off.
    /// </summary>
    public double ActionL2 { get; init; }

    /// <summary>
    /// Clip the critic target to [-1/(1-gamma), 0], the range every return of a -1/0 reward lies in.
    /// Bootstrapping from an overestimating target cannot then drift outside what is reachable.
    /// </summary>
    public bool ClipReturn { get; init; }

    /// <summary>Normalise observations and goals by running mean and standard deviation before the networks see them.</summary>
    public bool Normalize { get; init; }

    /// <summary>
    /// Feed the networks <c>desired_goal - achieved_goal</c> in place of the desired goal (baselines' HER
    /// <c>relative_goals</c>). Applied by <see cref="GoalConditionedAgent"/>, which builds the input rows from dict observations;
    /// <see cref="Ddpg"/> itself only ever sees rows.
    /// </summary>
    public bool RelativeGoals { get; init; }

    /// <summary>Normalised values are clipped to [-range, range].</summary>
    public float NormalizerClipRange { get; init; } = 5f;

    /// <summary>Smallest standard deviation the normalisers divide by (baselines' <c>norm_eps</c>).</summary>
    public float NormalizerEpsilon { get; init; } = 0.01f;

    /// <summary>
    /// TorchSharp intra-op threads for this learner; 0 leaves the current setting alone. The learner
    /// re-applies it on the calling thread before each call (the setting is per OS thread, see <see cref="Ddpg"/>).
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>Seeds the network initialisation (and nothing else: the learner draws no other random numbers).</summary>
    public ulong Seed { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (HiddenSizes is null || HiddenSizes.Length == 0) throw new ArgumentException("HiddenSizes needs at least one layer", nameof(HiddenSizes));
        if (HiddenSizes.Any(h => h < 1)) throw new ArgumentException($"HiddenSizes must all be positive, got [{string.Join(", ", HiddenSizes)}]",
            nameof(HiddenSizes));
        if (!Mlp.ActivationNames.Contains(Activation)) throw new ArgumentException($"Activation '{Activation}' is not one of " +
            $"{string.Join(", ", Mlp.ActivationNames)}", nameof(Activation));
        if (!(ActorLearningRate > 0)) throw new ArgumentException($"ActorLearningRate must be positive, got {ActorLearningRate}", nameof(ActorLearningRate));
        if (!(CriticLearningRate > 0)) throw new ArgumentException($"CriticLearningRate must be positive, got {CriticLearningRate}",
            nameof(CriticLearningRate));
        if (!(Tau > 0 && Tau <= 1)) throw new ArgumentException($"Tau must be in (0, 1], got {Tau}", nameof(Tau));
        if (!(Gamma >= 0 && Gamma < 1)) throw new ArgumentException($"Gamma must be in [0, 1), got {Gamma}", nameof(Gamma));
        if (!(ActionL2 >= 0)) throw new ArgumentException($"ActionL2 must not be negative, got {ActionL2}", nameof(ActionL2));
        if (!(NormalizerClipRange > 0)) throw new ArgumentException($"NormalizerClipRange must be positive, got {NormalizerClipRange}",
            nameof(NormalizerClipRange));
        if (!(NormalizerEpsilon > 0)) throw new ArgumentException($"NormalizerEpsilon must be positive, got {NormalizerEpsilon}", nameof(NormalizerEpsilon));
        if (Threads < 0) throw new ArgumentException($"Threads must be 0 (leave as is) or positive, got {Threads}", nameof(Threads));
    }
}
