using System.Globalization;
using HerTools.Core.Randomness;

namespace HerTools.Core.Envs;

/// <summary>
/// Plays a goal environment with random actions and reports every way it breaks the contract HER relies on
/// (the spirit of Stable-Baselines3's <c>check_env</c>, for goal environments): spaces and shapes, observations
/// inside their spaces, determinism under a seed, exact state save/restore, <c>reward == ComputeReward</c>,
/// <c>terminated == ComputeTerminated</c> and <c>truncated == ComputeTruncated</c> when implemented, batched results
/// equal to row-by-row results, truncation at <see cref="IGoalEnv.MaxEpisodeSteps"/>, <c>is_success</c> matching a
/// zero reward, returned arrays not reused and actions not modified.
/// Episodes and steps are counted from 1 in messages: "step 1 of episode 1" is the first step played.
/// </summary>
public static partial class EnvChecker
{
    public const string SpacesCheck = "spaces";
    public const string ObservationCheck = "observation";
    public const string DeterminismCheck = "determinism";
    public const string StateCheck = "state";
    public const string RewardCheck = "reward";
    public const string TerminatedCheck = "terminated";
    public const string TruncatedCheck = "truncated";
    public const string BatchCheck = "batch";
    public const string TimeLimitCheck = "time_limit";
    public const string SuccessCheck = "is_success";
    public const string AliasingCheck = "aliasing";
    public const string ActionCheck = "action";
    public const string ExceptionCheck = "exception";

    /// <summary>Violations listed per check before the rest are only counted.</summary>
    public const int MaxListedPerCheck = 10;
    /// <summary>Episodes are cut short after this many steps; the time limit of longer episodes is not judged.</summary>
    public const int MaxStepsPerEpisode = 100_000;

    /// <summary>
    /// Plays <paramref name="episodes"/> episodes, episode k reset with seed <c>seed + k - 1</c>, with uniform random
    /// actions drawn from an <see cref="Rng"/> seeded with <paramref name="seed"/>; replays each one to check
    /// determinism and state save/restore, then checks the batched functions on every transition played.
    /// </summary>
    public static EnvCheckReport Check(IGoalEnv env, int episodes = 5, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(env);
        ArgumentOutOfRangeException.ThrowIfLessThan(episodes, 1);
        var found = new Findings();
        string id;
        try { id = env.Id ?? "(null id)"; }
        catch (Exception ex) { id = "(no id)"; found.Add(ExceptionCheck, $"Id threw {Describe(ex)}"); }

        if (!CheckSpaces(env, found)) return found.Report(id, 0, 0);

        var rng = new Rng(seed);
        var played = new List<Transition>();
        int episodesPlayed = 0;
        for (int e = 1; e <= episodes; e++)
        {
            ulong resetSeed = seed + (ulong)(e - 1);
            var episode = Play(env, e, resetSeed, rng, found);
            if (episode is null) break; // Reset failed or returned unusable arrays: nothing further can be checked.
            episodesPlayed++;
            played.AddRange(episode.Transitions);
            if (episode.Complete) Replay(env, e, resetSeed, episode, found);
        }
        CheckBatches(env, played, found);
        return found.Report(id, episodesPlayed, played.Count);
    }

    private sealed class Transition(int episode, int step, float[] achievedGoal, float[] desiredGoal, StepResult result)
    {
        public int Episode { get; } = episode;
        public int Step { get; } = step;
        public float[] AchievedGoal { get; } = achievedGoal;
        public float[] DesiredGoal { get; } = desiredGoal;
        public StepResult Result { get; } = result;
        // The answers of the one-row calls of ComputeReward, ComputeTerminated, ComputeTruncated (in that order),
        // null when the call failed or does not exist.
        public object?[] RowAnswers { get; } = new object?[3];
        public string Where => $"step {Step} of episode {Episode}";
    }

    private sealed class Episode(GoalObservation start)
    {
        public GoalObservation Start { get; } = start;
        public List<float[]> Actions { get; } = [];
        public List<StepResult> Results { get; } = [];
        public List<Transition> Transitions { get; } = [];
        public bool Complete { get; set; } = true;
    }

    private sealed class Findings
    {
        private readonly List<EnvCheckViolation> _listed = [];
        private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

        public void Add(string check, string message)
        {
            int count = _counts.GetValueOrDefault(check) + 1;
            _counts[check] = count;
            if (count <= MaxListedPerCheck) _listed.Add(new EnvCheckViolation(check, message));
        }

        public EnvCheckReport Report(string id, int episodes, int transitions)
        {
            var all = new List<EnvCheckViolation>(_listed);
            foreach (var (check, count) in _counts)
                if (count > MaxListedPerCheck) all.Add(new EnvCheckViolation(check, $"{count - MaxListedPerCheck} more '{check}' violations not listed"));
            return new EnvCheckReport(id, episodes, transitions, all);
        }
    }

    // ---- spaces -------------------------------------------------------------------------------

    private static bool CheckSpaces(IGoalEnv env, Findings found)
    {
        GoalObservationSpace? space;
        Box? action;
        int maxSteps;
        try { space = env.ObservationSpace; action = env.ActionSpace; maxSteps = env.MaxEpisodeSteps; }
        catch (Exception ex) { found.Add(ExceptionCheck, $"reading the spaces threw {Describe(ex)}"); return false; }

        bool usable = true;
        if (space is null) { found.Add(SpacesCheck, "ObservationSpace is null"); usable = false; }
        else
        {
            foreach (var (key, box) in Boxes(space))
            {
                if (box is null) { found.Add(SpacesCheck, $"the '{key}' space is missing"); usable = false; }
                else if (!CheckBox(key, box, requireFinite: false, found)) usable = false;
            }
            if (space.AchievedGoal is Box achieved && space.DesiredGoal is Box desired && achieved.Size != desired.Size)
            {
                found.Add(SpacesCheck,
                    $"achieved_goal has {achieved.Size} values but desired_goal has {desired.Size}; ComputeReward pairs them value by value");
                usable = false;
            }
        }
        // Random actions are drawn inside the action bounds, so they must be finite.
        if (action is null) { found.Add(SpacesCheck, "ActionSpace is null"); usable = false; }
        else if (!CheckBox("action", action, requireFinite: true, found)) usable = false;
        if (maxSteps < 1) { found.Add(SpacesCheck, $"MaxEpisodeSteps is {maxSteps}; it must be at least 1"); usable = false; }
        return usable;
    }

    private static (string Key, Box? Box)[] Boxes(GoalObservationSpace space) =>
        [("observation", space.Observation), ("achieved_goal", space.AchievedGoal), ("desired_goal", space.DesiredGoal)];

    private static bool CheckBox(string key, Box box, bool requireFinite, Findings found)
    {
        if (box.Low is null || box.High is null) { found.Add(SpacesCheck, $"the '{key}' space has no bounds"); return false; }
        if (box.Low.Length != box.High.Length)
        {
            found.Add(SpacesCheck, $"the '{key}' space has {box.Low.Length} low bounds but {box.High.Length} high bounds");
            return false;
        }
        if (box.Size == 0) { found.Add(SpacesCheck, $"the '{key}' space has no values"); return false; }
        for (int i = 0; i < box.Size; i++)
        {
            float low = box.Low[i], high = box.High[i];
            if (float.IsNaN(low) || float.IsNaN(high) || low > high)
            {
                found.Add(SpacesCheck, $"the '{key}' space has bounds [{F(low)}, {F(high)}] at index {i}");
                return false;
            }
            if (requireFinite && !(float.IsFinite(low) && float.IsFinite(high)))
            {
                found.Add(SpacesCheck, $"the '{key}' space has bounds [{F(low)}, {F(high)}] at index {i}; they must be finite");
                return false;
            }
        }
        return true;
    }

    // Shapes wrong: false (nothing built on these arrays can be checked). Values outside the space are only reported.
    private static bool CheckObservation(IGoalEnv env, GoalObservation? observation, string where, Findings found, bool reportOutside = true)
    {
        if (observation is null) { found.Add(ObservationCheck, $"{where}: no observation was returned"); return false; }
        var space = env.ObservationSpace;
        (string Key, float[]? Values, Box Box)[] parts =
        [
            ("observation", observation.Observation, space.Observation),
            ("achieved_goal", observation.AchievedGoal, space.AchievedGoal),
            ("desired_goal", observation.DesiredGoal, space.DesiredGoal),
        ];
        bool usable = true;
        foreach (var (key, values, box) in parts)
        {
            if (values is null) { found.Add(ObservationCheck, $"{where}: '{key}' is missing"); usable = false; continue; }
            if (values.Length != box.Size)
            {
                found.Add(ObservationCheck, $"{where}: '{key}' has {values.Length} values but its space has {box.Size}");
                usable = false;
                continue;
            }
            for (int i = 0; reportOutside && i < values.Length; i++)
            {
                if (!(values[i] >= box.Low[i] && values[i] <= box.High[i]))
                {
                    found.Add(ObservationCheck, $"{where}: {key}[{i}] = {F(values[i])} is outside its space [{F(box.Low[i])}, {F(box.High[i])}]");
                    break;
                }
            }
        }
        return usable;
    }

    // ---- playing --------------------------------------------------------------------------------

    private static Episode? Play(IGoalEnv env, int e, ulong resetSeed, Rng rng, Findings found)
    {
        GoalObservation start;
        try { start = env.Reset(resetSeed); }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: Reset(seed {resetSeed}) threw {Describe(ex)}"); return null; }
        if (!CheckObservation(env, start, $"Reset(seed {resetSeed}) of episode {e}", found)) return null;

        var episode = new Episode(Copy(start));
        var returned = new List<(GoalObservation Returned, GoalObservation Copy, string By)>
        {
            (start, episode.Start, $"by Reset(seed {resetSeed}) of episode {e}"),
        };
        var action = env.ActionSpace;
        int maxSteps = env.MaxEpisodeSteps;
        for (int step = 1; ; step++)
        {
            string where = $"step {step} of episode {e}";
            float[] drawn = RandomAction(action, rng);
            float[] given = (float[])drawn.Clone();
            StepResult result;
            try { result = env.Step(given); }
            catch (Exception ex) { found.Add(ExceptionCheck, $"{where}: Step threw {Describe(ex)}"); episode.Complete = false; break; }
            if (!given.AsSpan().SequenceEqual(drawn))
                found.Add(ActionCheck, $"{where}: Step changed the action it was given from {Show(drawn)} to {Show(given)}");
            if (!CheckObservation(env, result.Observation, where, found)) { episode.Complete = false; break; }

            var copy = Copy(result.Observation);
            returned.Add((result.Observation, copy, $"by {where}"));
            episode.Actions.Add(drawn);
            episode.Results.Add(result with { Observation = copy });
            var transition = new Transition(e, step, copy.AchievedGoal, copy.DesiredGoal, result);
            CheckTransition(env, transition, found);
            episode.Transitions.Add(transition);

            if (result.Truncated && step < maxSteps)
                found.Add(TimeLimitCheck, $"{where}: truncated before MaxEpisodeSteps {maxSteps}");
            if (result.Terminated || result.Truncated) break;
            if (step >= maxSteps)
            {
                found.Add(TimeLimitCheck, $"{where}: neither terminated nor truncated at MaxEpisodeSteps {maxSteps}");
                break;
            }
            if (step >= MaxStepsPerEpisode) break;
        }

        // The buffer keeps the arrays it is handed, so an environment must not write into them later.
        foreach (var (original, copy, by) in returned)
        {
            if (!Same(original, copy))
            {
                found.Add(AliasingCheck,
                    $"the observation returned {by} was changed by later calls (was {Show(copy)}, now {Show(original)}); Reset and Step must return new " +
                    "arrays");
                break;
            }
        }
        return episode;
    }

    private static void CheckTransition(IGoalEnv env, Transition t, Findings found)
    {
        StepResult r = t.Result;
        string pair = $"(achieved {Show(t.AchievedGoal)}, desired {Show(t.DesiredGoal)})";
        StepInfo[] info = [r.Info];
        if (!float.IsFinite(r.Reward)) found.Add(RewardCheck, $"{t.Where}: reward is {F(r.Reward)}");

        foreach (var function in GoalFunctions(env))
        {
            function.CheckStep(t, pair, info, found);
            // Where ComputeTerminated's own check would come: without it the HER buffer can only keep the stored flag,
            // so every goal relabeled onto this step would end the episode too: wrong bootstrapping, silently.
            if (function.Check != RewardCheck || env is IComputesTerminated || !r.Terminated) continue;
            found.Add(TerminatedCheck, $"{t.Where}: terminated is true but the environment does not implement IComputesTerminated; " +
                "the HER buffer would keep that flag for every goal relabeled onto this step (implement IComputesTerminated)");
        }

        if (r.Info.IsSuccess != (r.Reward == 0f))
            found.Add(SuccessCheck, $"{t.Where}: is_success {B(r.Info.IsSuccess)} but reward {F(r.Reward)}; success must give reward 0 and only success");
    }

    // ---- replaying: determinism and saved state -------------------------------------------------

    private static void Replay(IGoalEnv env, int e, ulong resetSeed, Episode episode, Findings found)
    {
        GoalObservation again;
        try { again = env.Reset(resetSeed); }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: the second Reset(seed {resetSeed}) threw {Describe(ex)}"); return; }
        if (!CheckObservation(env, again, $"the second Reset(seed {resetSeed}) of episode {e}", found, reportOutside: false)) return;
        if (Difference(episode.Start, again) is string resetDiff)
        {
            found.Add(DeterminismCheck, $"episode {e}: two Reset(seed {resetSeed}) calls differ: {resetDiff}");
            return;
        }

        int steps = episode.Actions.Count;
        // Saving in the middle of the episode checks both halves: what is saved and what continues.
        int savedAfter = steps / 2;
        string savedAt = savedAfter == 0 ? "right after Reset" : $"after step {savedAfter}";
        byte[]? saved = savedAfter == 0 ? Save(env, e, savedAt, found) : null;
        for (int i = 0; i < steps; i++)
        {
            string where = $"step {i + 1} of episode {e}";
            if (!StepAndCompare(env, episode, i, where, found, out string? diff)) return;
            if (diff is not null)
            {
                found.Add(DeterminismCheck, $"{where}: replaying the same actions after Reset(seed {resetSeed}) differs: {diff} (first run, then replay)");
                return;
            }
            if (i + 1 == savedAfter) saved = Save(env, e, savedAt, found);
        }
        if (saved is null) return;

        // The generator must be part of the state: the reset after the restored run must match this one.
        GoalObservation nextReset;
        try { nextReset = env.Reset(); }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: Reset() without a seed threw {Describe(ex)}"); return; }
        if (!CheckObservation(env, nextReset, $"Reset() without a seed after episode {e}", found, reportOutside: false)) return;
        nextReset = Copy(nextReset);

        try
        {
            using var reader = new BinaryReader(new MemoryStream(saved));
            env.ReadState(reader);
            if (reader.BaseStream.Position != saved.Length)
                found.Add(StateCheck, $"episode {e}: ReadState read {reader.BaseStream.Position} of the {saved.Length} bytes WriteState wrote");
        }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: ReadState of the state saved {savedAt} threw {Describe(ex)}"); return; }

        for (int i = savedAfter; i < steps; i++)
        {
            string where = $"step {i + 1} of episode {e}";
            if (!StepAndCompare(env, episode, i, where, found, out string? diff)) return;
            if (diff is not null)
            {
                found.Add(StateCheck,
                    $"{where}: after WriteState {savedAt} and ReadState, the same actions differ: {diff} (uninterrupted run, then restored run)");
                return;
            }
        }
        GoalObservation restoredReset;
        try { restoredReset = env.Reset(); }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: Reset() without a seed after ReadState threw {Describe(ex)}"); return; }
        if (!CheckObservation(env, restoredReset, $"Reset() without a seed after ReadState in episode {e}", found, reportOutside: false)) return;
        if (Difference(nextReset, restoredReset) is string generatorDiff)
            found.Add(StateCheck,
                $"episode {e}: after ReadState, the next Reset() without a seed differs: {generatorDiff} (uninterrupted run, then restored run); the " +
                "generator must be saved too");
    }

    private static bool StepAndCompare(IGoalEnv env, Episode episode, int index, string where, Findings found, out string? difference)
    {
        difference = null;
        StepResult result;
        try { result = env.Step(episode.Actions[index]); }
        catch (Exception ex) { found.Add(ExceptionCheck, $"{where}: Step threw {Describe(ex)} when replayed"); return false; }
        if (!CheckObservation(env, result.Observation, where + " (replayed)", found, reportOutside: false)) return false;
        difference = Difference(episode.Results[index], result);
        return true;
    }

    private static byte[]? Save(IGoalEnv env, int e, string savedAt, Findings found)
    {
        try
        {
            using var stream = new MemoryStream();
            using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true)) env.WriteState(writer);
            return stream.ToArray();
        }
        catch (Exception ex) { found.Add(ExceptionCheck, $"episode {e}: WriteState {savedAt} threw {Describe(ex)}"); return null; }
    }

    // ---- batches --------------------------------------------------------------------------------

    // One call over every played transition, without infos, exactly as the replay buffer calls it,
    // and after the episodes are over: a result that depends on the batch or on the live episode shows here.
    private static void CheckBatches(IGoalEnv env, List<Transition> played, Findings found)
    {
        int n = played.Count;
        if (n == 0) return;
        int goalSize = played[0].AchievedGoal.Length;
        var achieved = new float[n * goalSize];
        var desired = new float[n * goalSize];
        for (int i = 0; i < n; i++)
        {
            played[i].AchievedGoal.CopyTo(achieved, i * goalSize);
            played[i].DesiredGoal.CopyTo(desired, i * goalSize);
        }
        string whole = $"on all {n} played transitions at once (no infos, as the replay buffer calls it)";

        foreach (var function in GoalFunctions(env)) function.CheckBatch(played, achieved, desired, whole, found);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private static float[] RandomAction(Box space, Rng rng)
    {
        var action = new float[space.Size];
        for (int i = 0; i < action.Length; i++)
        {
            float low = space.Low[i], high = space.High[i];
            // Rounding the double to float can land on high itself, which is still inside the box.
            action[i] = Math.Clamp((float)rng.Uniform(low, high), low, high);
        }
        return action;
    }

    private static GoalObservation Copy(GoalObservation o) =>
        new((float[])o.Observation.Clone(), (float[])o.AchievedGoal.Clone(), (float[])o.DesiredGoal.Clone());

    private static bool Same(GoalObservation a, GoalObservation b) => Difference(a, b) is null;

    private static string? Difference(GoalObservation a, GoalObservation b)
    {
        if (!SameValues(a.Observation, b.Observation)) return $"observation {Show(a.Observation)} vs {Show(b.Observation)}";
        if (!SameValues(a.AchievedGoal, b.AchievedGoal)) return $"achieved_goal {Show(a.AchievedGoal)} vs {Show(b.AchievedGoal)}";
        if (!SameValues(a.DesiredGoal, b.DesiredGoal)) return $"desired_goal {Show(a.DesiredGoal)} vs {Show(b.DesiredGoal)}";
        return null;
    }

    private static string? Difference(StepResult a, StepResult b)
    {
        if (Difference(a.Observation, b.Observation) is string diff) return diff;
        if (!SameFloat(a.Reward, b.Reward)) return $"reward {F(a.Reward)} vs {F(b.Reward)}";
        if (a.Terminated != b.Terminated) return $"terminated {B(a.Terminated)} vs {B(b.Terminated)}";
        if (a.Truncated != b.Truncated) return $"truncated {B(a.Truncated)} vs {B(b.Truncated)}";
        if (a.Info != b.Info) return $"is_success {B(a.Info.IsSuccess)} vs {B(b.Info.IsSuccess)}";
        return null;
    }

    // Bit-for-bit, so a NaN equals itself and a determinism check is not fooled by -0 == 0.
    private static bool SameValues(float[] a, float[] b)
    {
        if (a.Length != b.Length) return false;
        for (int i = 0; i < a.Length; i++) if (BitConverter.SingleToInt32Bits(a[i]) != BitConverter.SingleToInt32Bits(b[i])) return false;
        return true;
    }

    private static bool SameFloat(float a, float b) => a == b || (float.IsNaN(a) && float.IsNaN(b));

    private static string Show(GoalObservation o) =>
        $"observation {Show(o.Observation)}, achieved_goal {Show(o.AchievedGoal)}, desired_goal {Show(o.DesiredGoal)}";

    private static string Show(float[] values)
    {
        const int shown = 8;
        string head = string.Join(", ", values.Take(shown).Select(F));
        return values.Length <= shown ? $"[{head}]" : $"[{head}, ... ({values.Length} values)]";
    }

    private static string F(float value) => value.ToString(CultureInfo.InvariantCulture);
    private static string B(bool value) => value ? "true" : "false";
    private static string Describe(Exception ex) => $"{ex.GetType().Name}: {ex.Message}";
}
