namespace HerTools.Policy;

/// <summary>
/// Everything a trained actor needs to act, with no learning state: how an input row is built from a dict
/// observation (<c>observation ++ desired_goal</c>, or <c>observation ++ (desired_goal - achieved_goal)</c> with
/// <see cref="RelativeGoals"/>), the frozen input normalisation, the multilayer perceptron's weights, and the
/// scaling of its tanh output to the action bounds: <c>action = ActionCenter + ActionHalfRange * tanh(output)</c>.
/// <para>
/// The arrays are the model's own and <see cref="GoalPolicy"/> reads them on every call: whoever changes them
/// (a trainer refreshing its acting copy after an update) changes the policy.
/// </para>
/// </summary>
public sealed class PolicyModel
{
    /// <summary>Largest width of an input, hidden layer or action this library accepts.</summary>
    public const int MaxWidth = 1 << 16;

    /// <summary>Most hidden layers this library accepts.</summary>
    public const int MaxHiddenLayers = 64;

    /// <summary>Most weights and biases this library accepts (1 GiB of float32).</summary>
    public const long MaxParameterCount = 1L << 28;

    /// <param name="observationSize">Width of the observation.</param>
    /// <param name="goalSize">Width of the achieved and desired goals.</param>
    /// <param name="actionSize">Width of an action.</param>
    /// <param name="hiddenSizes">Widths of the hidden layers; <paramref name="activation"/> follows each.</param>
    /// <param name="activation">The hidden layers' activation.</param>
    /// <param name="parameters">All weights and biases, layer by layer: each weight row-major [out, in], then its bias.</param>
    /// <param name="actionCenter">Middle of the action bounds, per component.</param>
    /// <param name="actionHalfRange">Half the width of the action bounds, per component.</param>
    /// <param name="relativeGoals">The goal part of the input is desired minus achieved goal.</param>
    /// <param name="normalization">The frozen input normalisation, or null when the policy was trained without one.</param>
    /// <param name="algorithm">The algorithm that trained it (informational).</param>
    /// <param name="environmentId">The environment it was trained on (informational).</param>
    public PolicyModel(int observationSize, int goalSize, int actionSize, IReadOnlyList<int> hiddenSizes, PolicyActivation activation,
        float[] parameters, float[] actionCenter, float[] actionHalfRange, bool relativeGoals, InputNormalization? normalization,
        string algorithm = "", string environmentId = "")
    {
        ArgumentNullException.ThrowIfNull(hiddenSizes);
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(actionCenter);
        ArgumentNullException.ThrowIfNull(actionHalfRange);
        CheckWidth("observation size", observationSize);
        CheckWidth("goal size", goalSize);
        CheckWidth("action size", actionSize);
        if (hiddenSizes.Count is < 1 or > MaxHiddenLayers) throw new PolicyFormatException($"the policy has {hiddenSizes.Count} hidden layers; 1 to " +
            $"{MaxHiddenLayers} are supported");
        foreach (int width in hiddenSizes) CheckWidth("hidden layer width", width);
        if (!Enum.IsDefined(activation)) throw new PolicyFormatException($"activation {(int)activation} is not a known activation");

        ObservationSize = observationSize;
        GoalSize = goalSize;
        ActionSize = actionSize;
        HiddenSizes = [.. hiddenSizes];
        Activation = activation;
        int[] widths = [InputSize, .. HiddenSizes, actionSize];
        LayerShapes = Enumerable.Range(0, widths.Length - 1).Select(i => (widths[i], widths[i + 1])).ToArray();
        long expected = LayerShapes.Sum(s => (long)s.Out * s.In + s.Out);
        if (expected > MaxParameterCount) throw new PolicyFormatException($"the networks have {expected} parameters; at most {MaxParameterCount} are " +
            $"supported");
        if (parameters.Length != expected) throw new PolicyFormatException($"the networks need {expected} weights and biases, got {parameters.Length}");
        CheckLength("action center", actionCenter, actionSize);
        CheckLength("action half range", actionHalfRange, actionSize);
        if (normalization is not null)
        {
            CheckLength("observation mean", normalization.ObservationMean, observationSize);
            CheckLength("observation std", normalization.ObservationStd, observationSize);
            CheckLength("goal mean", normalization.GoalMean, goalSize);
            CheckLength("goal std", normalization.GoalStd, goalSize);
            if (!(normalization.ClipRange > 0)) throw new PolicyFormatException($"the normalisation clip range must be positive, got " +
                $"{normalization.ClipRange}");
        }
        Parameters = parameters;
        ActionCenter = actionCenter;
        ActionHalfRange = actionHalfRange;
        RelativeGoals = relativeGoals;
        Normalization = normalization;
        Algorithm = algorithm ?? "";
        EnvironmentId = environmentId ?? "";
    }

    public int ObservationSize { get; }
    public int GoalSize { get; }
    public int ActionSize { get; }

    /// <summary>Width of a network input row: observation ++ goal.</summary>
    public int InputSize => ObservationSize + GoalSize;

    public IReadOnlyList<int> HiddenSizes { get; }
    public PolicyActivation Activation { get; }

    /// <summary>(input, output) width of each linear layer, first to last.</summary>
    public IReadOnlyList<(int In, int Out)> LayerShapes { get; }

    /// <summary>All weights and biases, layer by layer: each weight row-major [out, in], then its bias.</summary>
    public float[] Parameters { get; }

    public float[] ActionCenter { get; }
    public float[] ActionHalfRange { get; }

    /// <summary>The goal part of an input row is <c>desired_goal - achieved_goal</c> instead of the desired goal.</summary>
    public bool RelativeGoals { get; }

    /// <summary>The frozen input normalisation; null when the policy sees raw inputs.</summary>
    public InputNormalization? Normalization { get; }

    public string Algorithm { get; }
    public string EnvironmentId { get; }

    private static void CheckWidth(string what, int width)
    {
        if (width is < 1 or > MaxWidth) throw new PolicyFormatException($"the {what} must be between 1 and {MaxWidth}, got {width}");
    }

    private static void CheckLength(string what, float[] values, int expected)
    {
        ArgumentNullException.ThrowIfNull(values, what);
        if (values.Length != expected) throw new PolicyFormatException($"the {what} needs {expected} values, got {values.Length}");
    }
}
