using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests;

public class EnvRegistryTests
{
    private static Dictionary<string, object?> Options(params (string Key, object? Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Fact]
    public void The_built_ins_are_listed_with_their_options()
    {
        var specs = EnvRegistry.List();
        Assert.Equal(specs.Select(s => s.Id).Order(StringComparer.Ordinal), specs.Select(s => s.Id));

        var point = Assert.Single(specs, s => s.Id == "PointGoal-v0");
        Assert.Equal(50, point.DefaultMaxEpisodeSteps);
        Assert.NotEmpty(point.Description);
        Assert.Equal(["terminate_on_success", "max_episode_steps"], point.Options.Select(o => o.Name));
        var terminate = point.Options[0];
        Assert.Equal((EnvOptionType.Bool, (object)false), (terminate.Type, terminate.Default!));
        var steps = point.Options[1];
        Assert.Equal((EnvOptionType.Int, (object)50, 1.0), (steps.Type, steps.Default!, steps.Minimum!.Value));
        Assert.All(point.Options, o => Assert.NotEmpty(o.Description));

        var bits = Assert.Single(specs, s => s.Id == "BitFlip-v0");
        Assert.Equal(10, bits.DefaultMaxEpisodeSteps);
        var nBits = Assert.Single(bits.Options);
        Assert.Equal("n_bits", nBits.Name);
        Assert.Equal(EnvOptionType.Int, nBits.Type);
        Assert.Equal(10, nBits.Default);
        Assert.Equal((1.0, 64.0), (nBits.Minimum!.Value, nBits.Maximum!.Value));
        Assert.Equal("an integer between 1 and 64", nBits.Expected());
    }

    [Fact]
    public void Make_without_options_gives_the_defaults()
    {
        var point = Assert.IsType<PointGoalEnv>(EnvRegistry.Make("PointGoal-v0"));
        Assert.False(point.TerminateOnSuccess);
        Assert.Equal(50, point.MaxEpisodeSteps);
        Assert.Equal(10, Assert.IsType<BitFlipEnv>(EnvRegistry.Make("BitFlip-v0", new Dictionary<string, object?>())).BitCount);
    }

    public static TheoryData<object> SixteenWrittenManyWays => new() { 16, 16L, "16", " 16 ", 16.0, "16.0", (short)16, 16f, 16m, "1.6e1" };

    [Theory]
    [MemberData(nameof(SixteenWrittenManyWays))]
    public void An_int_option_accepts_any_value_naming_a_whole_number(object sixteen)
    {
        var env = Assert.IsType<BitFlipEnv>(EnvRegistry.Make("BitFlip-v0", Options(("n_bits", sixteen))));
        Assert.Equal(16, env.BitCount);
    }

    public static TheoryData<object?, string> BadBitCounts => new()
    {
        { 16.5, "must be an integer between 1 and 64, got 16.5 (Double)" },
        { "16.5", "must be an integer between 1 and 64, got '16.5' (String)" },
        { "sixteen", "got 'sixteen'" },
        { true, "got true (Boolean)" },
        { null, "got null" },
        { 0, "must be between 1 and 64, got 0" },
        { 65L, "must be between 1 and 64, got 65" },
        { 5_000_000_000L, "got 5000000000 (Int64)" },
        { double.NaN, "got NaN" },
    };

    [Theory]
    [MemberData(nameof(BadBitCounts))]
    public void An_int_option_refuses_anything_else_naming_the_option_and_the_environment(object? value, string problem)
    {
        var ex = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("BitFlip-v0", Options(("n_bits", value))));
        Assert.Equal("BitFlip-v0", ex.EnvId);
        Assert.Equal("n_bits", ex.OptionName);
        Assert.StartsWith("BitFlip-v0: option 'n_bits' ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.IsAssignableFrom<HerToolsException>(ex);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData("true", true)]
    [InlineData("Yes", true)]
    [InlineData("on", true)]
    [InlineData(false, false)]
    [InlineData("FALSE", false)]
    [InlineData("no", false)]
    public void A_bool_option_accepts_booleans_and_their_usual_spellings(object value, bool expected)
    {
        var env = Assert.IsType<PointGoalEnv>(EnvRegistry.Make("PointGoal-v0", Options(("terminate_on_success", value), ("max_episode_steps", 20L))));
        Assert.Equal(expected, env.TerminateOnSuccess);
        Assert.Equal(20, env.MaxEpisodeSteps);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData(1L)]
    [InlineData(0.0)]
    public void A_bool_option_refuses_numbers_and_other_words(object value)
    {
        var ex = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("PointGoal-v0", Options(("terminate_on_success", value))));
        Assert.Equal("terminate_on_success", ex.OptionName);
        Assert.Contains("must be true or false", ex.Message);
    }

    [Fact]
    public void An_unknown_option_is_refused_with_the_options_the_environment_has()
    {
        var ex = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("BitFlip-v0", Options(("nbits", 12))));
        Assert.Equal("nbits", ex.OptionName);
        Assert.Equal("BitFlip-v0: option 'nbits' is unknown; its options are n_bits", ex.Message);

        var timeLimit = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("BitFlip-v0", Options(("max_episode_steps", 12))));
        Assert.Equal("max_episode_steps", timeLimit.OptionName);
    }

    [Fact]
    public void An_unknown_id_is_refused_with_the_registered_ids_and_a_suggestion_for_a_case_slip()
    {
        var ex = Assert.Throws<UnknownEnvironmentException>(() => EnvRegistry.Make("pointgoal-v0"));
        Assert.Equal("pointgoal-v0", ex.Id);
        Assert.Contains("Did you mean 'PointGoal-v0'?", ex.Message);
        Assert.Contains("BitFlip-v0", ex.RegisteredIds);
        Assert.Contains("PointGoal-v0", ex.RegisteredIds);

        var plain = Assert.Throws<UnknownEnvironmentException>(() => EnvRegistry.Get("Nowhere-v9"));
        Assert.StartsWith("Unknown environment 'Nowhere-v9'. Registered: ", plain.Message);
    }

    [Fact]
    public void A_hand_written_spec_can_be_registered_and_made()
    {
        var spec = new EnvSpec("Test-BitsBySize-v0", "BitFlip under another option name",
            [new EnvOption("size", EnvOptionType.Int, 3, "bits") { Minimum = 1, Maximum = 8 }],
            DefaultMaxEpisodeSteps: 3,
            options => new BitFlipEnv((int)options["size"]));
        Assert.Same(spec, EnvRegistry.Register(spec));
        Assert.Same(spec, EnvRegistry.Register(spec)); // the same spec again is a no-op

        Assert.Equal(3, Assert.IsType<BitFlipEnv>(EnvRegistry.Make("Test-BitsBySize-v0")).BitCount);
        Assert.Equal(7, Assert.IsType<BitFlipEnv>(EnvRegistry.Make("Test-BitsBySize-v0", Options(("size", "7")))).BitCount);
        var tooBig = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("Test-BitsBySize-v0", Options(("size", 9))));
        Assert.Contains("must be between 1 and 8, got 9", tooBig.Message);
        Assert.Contains(EnvRegistry.List(), s => s.Id == "Test-BitsBySize-v0");

        var other = spec with { Description = "another one" };
        var taken = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(other));
        Assert.Contains("'Test-BitsBySize-v0' is already registered", taken.Message);
    }

    [Fact]
    public void A_built_in_id_cannot_be_taken_over()
    {
        var spec = new EnvSpec("PointGoal-v0", "impostor", [], 5, _ => new BitFlipEnv(5));
        var ex = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(spec));
        Assert.Contains("HerTools.Core.Envs.PointGoalEnv", ex.Message);
        Assert.IsType<PointGoalEnv>(EnvRegistry.Make("PointGoal-v0"));
    }

    [Theory]
    [InlineData("", "not a valid environment id")]
    [InlineData("My Env-v0", "not a valid environment id")]
    [InlineData("Test-BadDefault-v0", "the default of option 'size' is invalid")]
    [InlineData("Test-TwiceDeclared-v0", "option 'size' is declared twice")]
    [InlineData("Test-NoSteps-v0", "the default max episode steps must be at least 1, got 0")]
    public void A_malformed_spec_is_refused(string id, string problem)
    {
        EnvOption size = new("size", EnvOptionType.Int, 3, "bits");
        IReadOnlyList<EnvOption> options = id switch
        {
            "Test-BadDefault-v0" => [size with { Default = "three" }],
            "Test-TwiceDeclared-v0" => [size, size],
            _ => [size],
        };
        var spec = new EnvSpec(id, "", options, id == "Test-NoSteps-v0" ? 0 : 3, o => new BitFlipEnv((int)o["size"]));
        var ex = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(spec));
        Assert.Contains(problem, ex.Message);
        Assert.DoesNotContain(EnvRegistry.List(), s => s.Id == id);
    }

    [Fact]
    public void A_required_option_must_be_given()
    {
        var spec = new EnvSpec("Test-Required-v0", "", [new EnvOption("size", EnvOptionType.Int, null, "bits")], 3,
            o => new BitFlipEnv((int)o["size"]));
        EnvRegistry.Register(spec);
        var ex = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("Test-Required-v0"));
        Assert.Equal("Test-Required-v0: option 'size' is required (an integer)", ex.Message);
        Assert.Equal(4, Assert.IsType<BitFlipEnv>(EnvRegistry.Make("Test-Required-v0", Options(("size", 4)))).BitCount);
    }

    [Fact]
    public void A_factory_failure_is_reported_as_an_engine_error_with_its_cause()
    {
        var spec = new EnvSpec("Test-Failing-v0", "", [], 3, _ => throw new InvalidOperationException("no device"));
        EnvRegistry.Register(spec);
        var ex = Assert.Throws<HerToolsException>(() => EnvRegistry.Make("Test-Failing-v0"));
        Assert.Equal("Test-Failing-v0: making the environment failed: no device", ex.Message);
        Assert.IsType<InvalidOperationException>(ex.InnerException);
    }

    [Fact]
    public void A_users_assembly_registers_its_marked_environments_and_factories()
    {
        var registered = EnvRegistry.RegisterFromAssembly(typeof(EnvRegistryTests).Assembly);
        Assert.Equal(["Test-UserLine-v0", "Test-UserLineFactory-v0"], registered.Select(s => s.Id).Order(StringComparer.Ordinal));
        // Again, as when a second session loads the same assembly: harmless.
        Assert.Equal(2, EnvRegistry.RegisterFromAssembly(typeof(EnvRegistryTests).Assembly).Count);

        var line = EnvRegistry.Get("Test-UserLine-v0");
        Assert.Equal("walk to a cell of a short line", line.Description);
        Assert.Equal(7, line.DefaultMaxEpisodeSteps); // read from an instance with default options
        Assert.Equal(["length", "step_size", "start_in_middle"], line.Options.Select(o => o.Name));
        Assert.Equal([EnvOptionType.Int, EnvOptionType.Double, EnvOptionType.Bool], line.Options.Select(o => o.Type));
        Assert.Equal([(object)5, 1.0, false], line.Options.Select(o => o.Default!));
        Assert.Equal("cells on the line", line.Options[0].Description);
        Assert.Equal((2.0, 100.0), (line.Options[0].Minimum!.Value, line.Options[0].Maximum!.Value));

        var env = Assert.IsType<UserLineEnv>(EnvRegistry.Make("Test-UserLine-v0", Options(("length", "9"), ("step_size", 2L), ("start_in_middle", "yes"))));
        Assert.Equal((9, 2f, true), (env.Length, env.StepSize, env.StartInMiddle));

        var factoryMade = Assert.IsType<UserLineEnv>(EnvRegistry.Make("Test-UserLineFactory-v0", Options(("cells", 4))));
        Assert.Equal(4, factoryMade.Length);
    }

    [Fact]
    public void A_constructor_refusing_an_argument_is_reported_under_the_option_name()
    {
        EnvRegistry.RegisterFromAssembly(typeof(EnvRegistryTests).Assembly);
        // step_size has no declared range; the constructor itself refuses 0.
        var ex = Assert.Throws<EnvOptionException>(() => EnvRegistry.Make("Test-UserLine-v0", Options(("step_size", 0))));
        Assert.Equal("step_size", ex.OptionName);
        Assert.Equal("Test-UserLine-v0: option 'step_size' is out of range, got 0: must be positive", ex.Message);
    }

    [Fact]
    public void A_class_that_cannot_become_an_environment_is_refused()
    {
        var unmarked = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(typeof(UnmarkedEnv)));
        Assert.Contains("is not marked with [GoalEnvironment", unmarked.Message);

        var badParameter = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(typeof(EnvWithListParameter)));
        Assert.Contains("constructor parameter 'cells' of", badParameter.Message);
        Assert.Contains("has type Int32[]", badParameter.Message);

        var notAnEnv = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(typeof(MarkedButNotAnEnv)));
        Assert.Contains("must be a concrete class implementing IGoalEnv", notAnEnv.Message);
        Assert.DoesNotContain(EnvRegistry.List(), s => s.Id.StartsWith("Test-Broken", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nBits", "n_bits")]
    [InlineData("terminateOnSuccess", "terminate_on_success")]
    [InlineData("maxXYSteps", "max_xy_steps")]
    [InlineData("layer2Size", "layer2_size")]
    [InlineData("n_bits", "n_bits")]
    public void Constructor_parameter_names_become_snake_case_option_names(string parameter, string option)
    {
        Assert.Equal(option, EnvRegistry.SnakeCase(parameter));
    }

    [Fact]
    public void Registering_listing_and_making_from_many_threads_at_once_is_safe()
    {
        const int workers = 400;
        var made = new IGoalEnv[workers];
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            int size = 1 + i % 8;
            EnvRegistry.Register(new EnvSpec($"Test-Parallel-{i}-v0", "", [], size, _ => new BitFlipEnv(size)));
            EnvRegistry.List();
            made[i] = EnvRegistry.Make(i % 2 == 0 ? $"Test-Parallel-{i}-v0" : "BitFlip-v0",
                new Dictionary<string, object?>());
        });
        var ids = EnvRegistry.List().Select(s => s.Id).ToHashSet();
        for (int i = 0; i < workers; i++)
        {
            Assert.Contains($"Test-Parallel-{i}-v0", ids);
            Assert.Equal(i % 2 == 0 ? 1 + i % 8 : 10, ((BitFlipEnv)made[i]).BitCount);
        }
    }

    /// <summary>A user's environment: walk left (a &lt;= 0) or right (a &gt; 0) to a goal cell of a line.</summary>
    [GoalEnvironment("Test-UserLine-v0", Description = "walk to a cell of a short line")]
    public sealed class UserLineEnv : IGoalEnv
    {
        private readonly Rng _rng = new(0);
        private float _position, _goal;
        private int _t;

        public UserLineEnv(
            [Description("cells on the line"), Range(2, 100)] int length = 5,
            [Description("cells moved per step")] double stepSize = 1.0,
            [Description("start every episode in the middle cell")] bool startInMiddle = false)
        {
            if (stepSize <= 0) throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "must be positive");
            Length = length;
            StepSize = (float)stepSize;
            StartInMiddle = startInMiddle;
            ObservationSpace = new(Box.Uniform(0, length - 1, 1), Box.Uniform(0, length - 1, 1), Box.Uniform(0, length - 1, 1));
        }

        public int Length { get; }
        public float StepSize { get; }
        public bool StartInMiddle { get; }
        public string Id => "Test-UserLine-v0";
        public GoalObservationSpace ObservationSpace { get; }
        public Box ActionSpace { get; } = Box.Uniform(-1, 1, 1);
        public int MaxEpisodeSteps => Length + 2;

        public GoalObservation Reset(ulong? seed = null)
        {
            if (seed is ulong s) _rng.Reseed(s);
            _position = StartInMiddle ? Length / 2 : _rng.NextInt(Length);
            _goal = _rng.NextInt(Length);
            _t = 0;
            return new([_position], [_position], [_goal]);
        }

        public StepResult Step(ReadOnlySpan<float> action)
        {
            _position = Math.Clamp(_position + (action[0] > 0 ? StepSize : -StepSize), 0, Length - 1);
            _t++;
            bool reached = _position == _goal;
            return new(new([_position], [_position], [_goal]), reached ? 0f : -1f, false, _t >= MaxEpisodeSteps, new StepInfo(reached));
        }

        public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
        {
            for (int i = 0; i < rewards.Length; i++) rewards[i] = achievedGoals[i] == desiredGoals[i] ? 0f : -1f;
        }

        public void WriteState(BinaryWriter writer)
        {
            writer.Write(_position); writer.Write(_goal); writer.Write(_t);
            _rng.WriteState(writer);
        }

        public void ReadState(BinaryReader reader)
        {
            _position = reader.ReadSingle(); _goal = reader.ReadSingle(); _t = reader.ReadInt32();
            _rng.ReadState(reader);
        }
    }

    /// <summary>The same line environment offered through a factory, with an option the constructor does not name.</summary>
    public sealed class UserLineFactory : IGoalEnvFactory
    {
        public string Id => "Test-UserLineFactory-v0";
        public string Description => "the user line through a factory";
        public IReadOnlyList<EnvOption> Options { get; } = [new EnvOption("cells", EnvOptionType.Int, 6, "cells on the line") { Minimum = 2 }];
        public int DefaultMaxEpisodeSteps => 8;
        public IGoalEnv Create(IReadOnlyDictionary<string, object> options) => new UserLineEnv(length: (int)options["cells"]);
    }

    // Private, so RegisterFromAssembly does not see them; registered one by one to test the refusals.
    private sealed class UnmarkedEnv;

    [GoalEnvironment("Test-Broken-List-v0", MaxEpisodeSteps = 3)]
    private sealed class EnvWithListParameter(int[] cells) : IGoalEnv
    {
        public int[] Cells { get; } = cells;
        public string Id => "Test-Broken-List-v0";
        public GoalObservationSpace ObservationSpace => throw new NotSupportedException();
        public Box ActionSpace => throw new NotSupportedException();
        public int MaxEpisodeSteps => 3;
        public GoalObservation Reset(ulong? seed = null) => throw new NotSupportedException();
        public StepResult Step(ReadOnlySpan<float> action) => throw new NotSupportedException();
        public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards) =>
            throw new NotSupportedException();
        public void WriteState(BinaryWriter writer) => throw new NotSupportedException();
        public void ReadState(BinaryReader reader) => throw new NotSupportedException();
    }

    [GoalEnvironment("Test-Broken-NotAnEnv-v0", MaxEpisodeSteps = 3)]
    private sealed class MarkedButNotAnEnv;
}
