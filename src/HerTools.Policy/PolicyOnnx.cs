namespace HerTools.Policy;

/// <summary>
/// Writes a <see cref="PolicyModel"/> as an ONNX model (IR version 8, opset 17) that any ONNX runtime can run:
/// inputs <c>observation</c> [N, observation size], <c>achieved_goal</c> and <c>desired_goal</c> [N, goal size]
/// (float32, N free), output <c>action</c> [N, action size]. The graph is the policy's whole computation: the
/// relative-goal subtraction, the frozen normalisation, the perceptron (Gemm layers) and the scaling of its tanh
/// output to the action bounds, so a runtime needs nothing but the three inputs.
/// </summary>
public static class PolicyOnnx
{
    /// <summary>The file name extension for ONNX models.</summary>
    public const string Extension = ".onnx";

    public const string ObservationInput = "observation", AchievedGoalInput = "achieved_goal", DesiredGoalInput = "desired_goal", ActionOutput = "action";

    private const long IrVersion = 8, OpsetVersion = 17;
    private const int FloatType = 1; // TensorProto.DataType.FLOAT
    private const int AttributeFloat = 1, AttributeInt = 2;

    public static void Write(PolicyModel model, string path)
    {
        using var stream = File.Create(path);
        Write(model, stream);
    }

    public static void Write(PolicyModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        stream.Write(ToBytes(model));
    }

    /// <summary>The serialised ModelProto.</summary>
    public static byte[] ToBytes(PolicyModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = new GraphBuilder();
        string goal = DesiredGoalInput;
        if (model.RelativeGoals) goal = graph.Node("Sub", [DesiredGoalInput, AchievedGoalInput], "relative_goal");
        string observation = ObservationInput;
        if (model.Normalization is { } n)
        {
            string low = graph.Constant("clip_low", [-n.ClipRange], []);
            string high = graph.Constant("clip_high", [n.ClipRange], []);
            observation = Normalize(graph, observation, "observation", n.ObservationMean, n.ObservationStd, low, high);
            goal = Normalize(graph, goal, "goal", n.GoalMean, n.GoalStd, low, high);
        }
        string x = graph.Node("Concat", [observation, goal], "input", new Attribute("axis", AttributeInt, Int: 1));

        int offset = 0;
        var shapes = model.LayerShapes;
        for (int layer = 0; layer < shapes.Count; layer++)
        {
            var (width, outputs) = shapes[layer];
            string weight = graph.Constant($"layer{layer}.weight", model.Parameters.AsSpan(offset, outputs * width), [outputs, width]);
            string bias = graph.Constant($"layer{layer}.bias", model.Parameters.AsSpan(offset + outputs * width, outputs), [outputs]);
            offset += outputs * width + outputs;
            // Gemm with transB: x [N, in] times weight [out, in] transposed, plus bias: PyTorch's Linear.
            x = graph.Node("Gemm", [x, weight, bias], $"layer{layer}", new Attribute("transB", AttributeInt, Int: 1));
            if (layer < shapes.Count - 1) x = Activate(graph, model.Activation, x, $"layer{layer}.activation");
        }
        x = graph.Node("Tanh", [x], "unit_action");
        string halfRange = graph.Constant("action_half_range", model.ActionHalfRange, [model.ActionSize]);
        string center = graph.Constant("action_center", model.ActionCenter, [model.ActionSize]);
        x = graph.Node("Mul", [x, halfRange], "scaled_action");
        graph.Node("Add", [x, center], ActionOutput);

        var graphProto = graph.ToProto("her_tools_policy",
            inputs: [(ObservationInput, model.ObservationSize), (AchievedGoalInput, model.GoalSize), (DesiredGoalInput, model.GoalSize)],
            outputs: [(ActionOutput, model.ActionSize)]);
        var modelProto = new ProtobufWriter()
            .Int64(1, IrVersion)
            .String(2, "HerTools")
            .String(3, typeof(PolicyOnnx).Assembly.GetName().Version?.ToString() ?? "")
            .String(6, $"HerTools policy: algorithm '{model.Algorithm}', environment '{model.EnvironmentId}'")
            .Message(7, graphProto)
            .Message(8, new ProtobufWriter().String(1, "").Int64(2, OpsetVersion));
        return modelProto.ToArray();
    }

    private static string Normalize(GraphBuilder graph, string input, string part, float[] mean, float[] std, string low, string high)
    {
        string meanName = graph.Constant($"{part}_mean", mean, [mean.Length]);
        string stdName = graph.Constant($"{part}_std", std, [std.Length]);
        string centered = graph.Node("Sub", [input, meanName], $"{part}_centered");
        string scaled = graph.Node("Div", [centered, stdName], $"{part}_scaled");
        return graph.Node("Clip", [scaled, low, high], $"{part}_normalized");
    }

    private static string Activate(GraphBuilder graph, PolicyActivation activation, string x, string name) => activation switch
    {
        PolicyActivation.Relu => graph.Node("Relu", [x], name),
        PolicyActivation.Tanh => graph.Node("Tanh", [x], name),
        PolicyActivation.Elu => graph.Node("Elu", [x], name, new Attribute("alpha", AttributeFloat, Float: 1f)),
        PolicyActivation.LeakyRelu => graph.Node("LeakyRelu", [x], name, new Attribute("alpha", AttributeFloat, Float: Activations.LeakyReluSlope)),
        PolicyActivation.Silu => graph.Node("Mul", [x, graph.Node("Sigmoid", [x], name + ".sigmoid")], name),
        // Opset 17 has no Gelu: 0.5 x (1 + erf(x / sqrt 2)), the exact form PyTorch uses by default.
        PolicyActivation.Gelu => Gelu(graph, x, name),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "not a known activation"),
    };

    private static string Gelu(GraphBuilder graph, string x, string name)
    {
        string scaled = graph.Node("Div", [x, graph.Constant(name + ".sqrt2", [MathF.Sqrt(2f)], [])], name + ".scaled");
        string erf = graph.Node("Erf", [scaled], name + ".erf");
        string onePlus = graph.Node("Add", [erf, graph.Constant(name + ".one", [1f], [])], name + ".one_plus");
        string half = graph.Node("Mul", [x, graph.Constant(name + ".half", [0.5f], [])], name + ".half_x");
        return graph.Node("Mul", [half, onePlus], name);
    }

    private readonly record struct Attribute(string Name, int Type, long Int = 0, float Float = 0f);

    /// <summary>Collects nodes and initializers in order and writes the GraphProto.</summary>
    private sealed class GraphBuilder
    {
        private readonly List<ProtobufWriter> _nodes = [];
        private readonly List<ProtobufWriter> _initializers = [];

        /// <summary>Adds a node whose one output is named <paramref name="output"/>; returns that name.</summary>
        public string Node(string opType, string[] inputs, string output, params Attribute[] attributes)
        {
            var node = new ProtobufWriter();
            foreach (string input in inputs) node.String(1, input);
            node.String(2, output).String(3, output).String(4, opType);
            foreach (var a in attributes)
            {
                var attribute = new ProtobufWriter().String(1, a.Name);
                if (a.Type == AttributeFloat) attribute.Float(2, a.Float); else attribute.Int64(3, a.Int);
                attribute.Int64(20, a.Type);
                node.Message(5, attribute);
            }
            _nodes.Add(node);
            return output;
        }

        /// <summary>Adds a float32 initializer of the given shape (empty: a scalar); returns its name.</summary>
        public string Constant(string name, ReadOnlySpan<float> values, long[] dims)
        {
            var tensor = new ProtobufWriter();
            foreach (long d in dims) tensor.Int64(1, d);
            tensor.Int64(2, FloatType).String(8, name).Floats(9, values);
            _initializers.Add(tensor);
            return name;
        }

        public ProtobufWriter ToProto(string name, (string Name, int Width)[] inputs, (string Name, int Width)[] outputs)
        {
            var graph = new ProtobufWriter();
            foreach (var node in _nodes) graph.Message(1, node);
            graph.String(2, name);
            foreach (var initializer in _initializers) graph.Message(5, initializer);
            foreach (var (inputName, width) in inputs) graph.Message(11, ValueInfo(inputName, width));
            foreach (var (outputName, width) in outputs) graph.Message(12, ValueInfo(outputName, width));
            return graph;
        }

        // A float32 [batch, width] tensor whose first dimension is free.
        private static ProtobufWriter ValueInfo(string name, int width)
        {
            var shape = new ProtobufWriter()
                .Message(1, new ProtobufWriter().String(2, "batch"))
                .Message(1, new ProtobufWriter().Int64(1, width));
            var tensorType = new ProtobufWriter().Int64(1, FloatType).Message(2, shape);
            return new ProtobufWriter().String(1, name).Message(2, new ProtobufWriter().Message(1, tensorType));
        }
    }
}
