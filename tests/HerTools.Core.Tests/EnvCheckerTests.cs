using System.Runtime.InteropServices;
using HerTools.Core.Envs;
using HerTools.Core.Randomness;

namespace HerTools.Core.Tests;

public class EnvCheckerTests
{
    private static string Listing(EnvCheckReport report) => string.Join(Environment.NewLine, report.Violations);

    public static TheoryData<string, int, int> BuiltIns => new()
    {
        // id, n_bits (BitFlip only), transitions expected over 5 episodes
        { "PointGoal-v0", 0, 5 * 50 },
        { "BitFlip-v0", 1, 5 * 1 },
        { "BitFlip-v0", 10, 5 * 10 },
        { "BitFlip-v0", 64, 5 * 64 },
    };

    [Theory]
    [MemberData(nameof(BuiltIns))]
    public void The_built_in_environments_pass(string id, int nBits, int transitions)
    {
        var options = new Dictionary<string, object?>();
        if (nBits > 0) options["n_bits"] = nBits;
        var report = EnvChecker.Check(EnvRegistry.Make(id, options));
        Assert.True(report.Passed, Listing(report));
        Assert.Equal(id, report.EnvId);
        Assert.Equal(5, report.Episodes);
        Assert.Equal(transitions, report.Transitions);
    }

    [Fact]
    public void PointGoal_with_terminate_on_success_passes_with_episodes_that_end_early()
    {
        var env = new PointGoalEnv(terminateOnSuccess: true);
        // Seeds where random actions reach the goal would end episodes early; 40 episodes make some likely.
        var report = EnvChecker.Check(env, episodes: 40, seed: 123);
        Assert.True(report.Passed, Listing(report));
        Assert.Equal(40, report.Episodes);
        Assert.True(report.Transitions < 40 * 50, $"no episode ended early: {report.Transitions} transitions");
    }

    [Fact]
    public void A_users_registered_environment_passes()
    {
        EnvRegistry.RegisterFromAssembly(typeof(EnvCheckerTests).Assembly);
        var report = EnvChecker.Check(EnvRegistry.Make("Test-UserLine-v0"), episodes: 10, seed: 4);
        Assert.True(report.Passed, Listing(report));
    }

    public enum Fault
    {
        None,
        RewardAtStep3,
        TerminatedDisagrees,
        RewardDependsOnBatchSize,
        RewardNeedsInfos,
        ResetIgnoresSeed,
        StepNotRepeatable,
        NeverTruncates,
        TruncatesEarly,
        GeneratorNotSaved,
        ReusesArrays,
        ObservationOutsideSpace,
        ObservationTooLong,
        SuccessWithoutReward,
        ModifiesAction,
        GoalSizesDiffer,
        UnboundedActions,
    }

    public static TheoryData<Fault, string[], string> Faults => new()
    {
        { Fault.RewardAtStep3, [EnvChecker.RewardCheck, EnvChecker.SuccessCheck],
            "step 3 of episode 1: reward 0 but ComputeReward gives -1 (achieved [3], desired [10" },
        { Fault.TerminatedDisagrees, [EnvChecker.TerminatedCheck], "step 2 of episode 1: terminated false but ComputeTerminated gives true (achieved [2]" },
        { Fault.RewardDependsOnBatchSize, [EnvChecker.BatchCheck],
            "step 1 of episode 1: ComputeReward on all 20 played transitions at once (no infos, as the replay buffer calls it) gives 0 for this row, but -1 " +
            "for the row alone" },
        { Fault.RewardNeedsInfos, [EnvChecker.BatchCheck], "step 1 of episode 1: ComputeReward on all 20 played transitions at once (no infos, as the replay " +
            "buffer calls it) gives 0 for this row, but -1 for the row alone" },
        { Fault.ResetIgnoresSeed, [EnvChecker.DeterminismCheck], "episode 1: two Reset(seed 0) calls differ: observation [0] vs [1]" },
        { Fault.StepNotRepeatable, [EnvChecker.DeterminismCheck],
            "step 1 of episode 1: replaying the same actions after Reset(seed 0) differs: observation [1] vs [0.5] (first run, then replay)" },
        { Fault.NeverTruncates, [EnvChecker.TimeLimitCheck], "step 4 of episode 1: neither terminated nor truncated at MaxEpisodeSteps 4" },
        { Fault.TruncatesEarly, [EnvChecker.TimeLimitCheck], "step 2 of episode 1: truncated before MaxEpisodeSteps 4" },
        { Fault.GeneratorNotSaved, [EnvChecker.StateCheck], "after ReadState, the next Reset() without a seed differs: desired_goal [" },
        { Fault.ReusesArrays, [EnvChecker.AliasingCheck],
            "the observation returned by Reset(seed 0) of episode 1 was changed by later calls (was observation [0]" },
        { Fault.ObservationOutsideSpace, [EnvChecker.ObservationCheck], "step 2 of episode 1: observation[0] = 20 is outside its space [0, 10]" },
        { Fault.ObservationTooLong, [EnvChecker.ObservationCheck], "Reset(seed 0) of episode 1: 'observation' has 2 values but its space has 1" },
        { Fault.SuccessWithoutReward, [EnvChecker.SuccessCheck], "step 1 of episode 1: is_success true but reward -1" },
        { Fault.ModifiesAction, [EnvChecker.ActionCheck], "step 1 of episode 1: Step changed the action it was given from [" },
        { Fault.GoalSizesDiffer, [EnvChecker.SpacesCheck], "achieved_goal has 1 values but desired_goal has 2" },
        { Fault.UnboundedActions, [EnvChecker.SpacesCheck], "the 'action' space has bounds [-Infinity, Infinity] at index 0; they must be finite" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public void A_faulty_environment_is_flagged_by_the_check_it_breaks_with_the_numbers(Fault fault, string[] checks, string message)
    {
        var report = EnvChecker.Check(new FaultyEnv(fault));
        Assert.False(report.Passed);
        Assert.Equal(checks.Order(), report.Violations.Select(v => v.Check).Distinct().Order());
        Assert.Contains(report.Violations, v => v.Check == checks[0] && v.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void The_faulty_environment_without_a_fault_passes()
    {
        var report = EnvChecker.Check(new FaultyEnv(Fault.None));
        Assert.True(report.Passed, Listing(report));
        Assert.Equal((5, 20), (report.Episodes, report.Transitions));
    }

    [Fact]
    public void Environments_unusable_from_the_start_play_no_episode()
    {
        Assert.Equal(0, EnvChecker.Check(new FaultyEnv(Fault.GoalSizesDiffer)).Episodes);
        Assert.Equal(0, EnvChecker.Check(new FaultyEnv(Fault.ObservationTooLong)).Episodes);
    }

    [Fact]
    public void Repeated_violations_are_listed_ten_times_then_counted()
    {
        // Reward 0 at step 3 of each of 25 episodes: 25 reward violations, 10 listed.
        var report = EnvChecker.Check(new FaultyEnv(Fault.RewardAtStep3), episodes: 25);
        var rewards = report.Violations.Where(v => v.Check == EnvChecker.RewardCheck).ToArray();
        Assert.Equal(11, rewards.Length);
        Assert.StartsWith("step 3 of episode 10: reward 0", rewards[9].Message);
        Assert.Equal("reward: 15 more 'reward' violations not listed", rewards[10].ToString());
    }

    [Fact]
    public void The_checker_is_deterministic_for_a_seed_and_refuses_zero_episodes()
    {
        var a = EnvChecker.Check(new FaultyEnv(Fault.ModifiesAction), seed: 9);
        var b = EnvChecker.Check(new FaultyEnv(Fault.ModifiesAction), seed: 9);
        Assert.Equal(a.Violations, b.Violations);
        Assert.Throws<ArgumentOutOfRangeException>(() => EnvChecker.Check(new PointGoalEnv(), episodes: 0));
    }

    [Fact]
    public void An_environment_that_terminates_without_ComputeTerminated_is_flagged()
    {
        // PointGoal with terminate_on_success, minus IComputesTerminated: relabeled goals would keep its flags.
        var report = EnvChecker.Check(new PointGoalWithoutTermination(), episodes: 40, seed: 123);
        Assert.Equal([EnvChecker.TerminatedCheck], report.Violations.Select(v => v.Check).Distinct());
        Assert.Contains("terminated is true but the environment does not implement IComputesTerminated", report.Violations[0].Message);
    }

    [Fact]
    public void A_ComputeTruncated_that_reads_the_live_episode_clock_is_flagged()
    {
        // The batch call comes after the episodes, when the clock has moved on: a relabeled transition in
        // the replay buffer would get the clock of whatever episode is running, not its own.
        var report = EnvChecker.Check(new ClockTruncatedPointGoal());
        Assert.Equal([EnvChecker.BatchCheck], report.Violations.Select(v => v.Check).Distinct());
        Assert.Equal(
            "step 50 of episode 1: ComputeTruncated on all 250 played transitions at once (no infos, as the replay buffer calls it) gives false for this " +
            "row, but true for the row alone",
            report.Violations[0].Message);
    }

    /// <summary>PointGoal-v0 with the batched truncation it used to have: every row gets the current clock's answer.</summary>
    private sealed class ClockTruncatedPointGoal() : PointGoalWrapper(new PointGoalEnv()), IComputesTruncated
    {
        public override string Id => Inner.Id;
        public void ComputeTruncated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> truncated) =>
            truncated.Fill(Inner.ElapsedSteps >= Inner.MaxEpisodeSteps);
    }

    /// <summary>
    /// A tiny goal environment with one deliberate fault at a time. Observation [c], achieved [c], desired [g]:
    /// c counts steps from 0 (+1 a step), g is 100 + a draw of 0..9 so it is never reached; 4 steps an episode.
    /// </summary>
    private sealed class FaultyEnv(Fault fault) : IGoalEnv, IComputesTerminated
    {
        private const int Steps = 4;
        private readonly Rng _rng = new(0);
        private readonly float[] _observation = new float[1], _achieved = new float[1], _desired = new float[1];
        private float _c, _g;
        private int _t, _resets, _stepsEver;

        public string Id => "Faulty-v0";
        public GoalObservationSpace ObservationSpace { get; } = new(
            Box.Uniform(0, 10, 1), Box.Uniform(0, 110, 1), Box.Uniform(0, 110, fault == Fault.GoalSizesDiffer ? 2 : 1));
        public Box ActionSpace { get; } = fault == Fault.UnboundedActions
            ? Box.Uniform(float.NegativeInfinity, float.PositiveInfinity, 1) : Box.Uniform(-1, 1, 1);
        public int MaxEpisodeSteps => Steps;

        public GoalObservation Reset(ulong? seed = null)
        {
            if (seed is ulong s && fault != Fault.ResetIgnoresSeed) _rng.Reseed(s);
            _c = fault == Fault.ResetIgnoresSeed ? _resets % 2 : 0;
            _resets++;
            _g = 100 + _rng.NextInt(10);
            _t = 0;
            return Observe();
        }

        public StepResult Step(ReadOnlySpan<float> action)
        {
            if (fault == Fault.ModifiesAction) MemoryMarshal.GetReference(action) = 0.5f;
            _t++;
            _stepsEver++;
            // StepNotRepeatable: only the very first episode moves by whole cells.
            _c += fault == Fault.StepNotRepeatable && _stepsEver > Steps ? 0.5f : 1f;
            float reward = fault == Fault.RewardAtStep3 && _t == 3 ? 0f : RewardOf(_c, _g);
            bool success = fault == Fault.SuccessWithoutReward && _t == 1 || _c == _g;
            bool truncated = fault switch
            {
                Fault.NeverTruncates => false,
                Fault.TruncatesEarly => _t >= 2,
                _ => _t >= Steps,
            };
            return new StepResult(Observe(), reward, false, truncated, new StepInfo(success));
        }

        private static float RewardOf(float achieved, float desired) => achieved == desired ? 0f : -1f;

        public void ComputeReward(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<float> rewards)
        {
            for (int i = 0; i < rewards.Length; i++)
            {
                rewards[i] = RewardOf(achievedGoals[i], desiredGoals[i]);
                if (fault == Fault.RewardDependsOnBatchSize && rewards.Length > 1) rewards[i] = 0f;
                if (fault == Fault.RewardNeedsInfos && infos.IsEmpty) rewards[i] = 0f;
            }
        }

        public void ComputeTerminated(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<bool> terminated)
        {
            for (int i = 0; i < terminated.Length; i++) terminated[i] = fault == Fault.TerminatedDisagrees && achievedGoals[i] >= 2;
        }

        public void WriteState(BinaryWriter writer)
        {
            writer.Write(_c); writer.Write(_g); writer.Write(_t);
            if (fault != Fault.GeneratorNotSaved) _rng.WriteState(writer);
        }

        public void ReadState(BinaryReader reader)
        {
            _c = reader.ReadSingle(); _g = reader.ReadSingle(); _t = reader.ReadInt32();
            if (fault != Fault.GeneratorNotSaved) _rng.ReadState(reader);
        }

        private GoalObservation Observe()
        {
            float shown = fault == Fault.ObservationOutsideSpace ? _c * 10 : _c;
            if (fault == Fault.ObservationTooLong) return new([_c, 0f], [_c], [_g]);
            if (fault != Fault.ReusesArrays) return new([shown], [_c], [_g]);
            _observation[0] = shown; _achieved[0] = _c; _desired[0] = _g;
            return new(_observation, _achieved, _desired);
        }
    }
}
