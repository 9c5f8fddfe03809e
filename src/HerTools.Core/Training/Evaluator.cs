using HerTools.Core.Agents;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>
/// Evaluation under the spec's protocol: the deterministic policy (no exploration noise), episode i reset
/// with seed <c>firstSeed + i</c> (fixed, and apart from training seeds), success read at the episode's last step.
/// Episodes run one after another on one environment (<see cref="Evaluate"/>) or side by side on several
/// (<see cref="EvaluateBatched"/>: one forward pass per step for every episode still running); an episode depends
/// only on its seed and the policy, so both give the same record for every episode.
/// </summary>
public static class Evaluator
{
    /// <summary>Most episodes a batched evaluation runs side by side (environments it makes).</summary>
    public const int MaxParallelEpisodes = 100;

    /// <summary>Evaluates <paramref name="policy"/> on <paramref name="env"/> (an instance used for nothing else).
    /// Cancelling <paramref name="cancellationToken"/> stops between episodes with <see cref="OperationCanceledException"/>.</summary>
    public static EvaluationResult Evaluate(IGoalPolicy policy, IGoalEnv env, int episodes, ulong firstSeed,
        CancellationToken cancellationToken = default)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "must be at least 1");
        var action = new float[env.ActionSpace.Size];
        var records = new EpisodeRecord[episodes];
        for (int i = 0; i < episodes; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ulong seed = firstSeed + (ulong)i;
            var obs = env.Reset(seed);
            double episodeReturn = 0;
            int length = 0;
            bool success = false;
            while (true)
            {
                policy.Act(obs, action);
                var step = env.Step(action);
                episodeReturn += step.Reward;
                length++;
                obs = step.Observation;
                success = step.Info.IsSuccess;
                if (step.Terminated || step.Truncated) break;
            }
            records[i] = new EpisodeRecord(i, seed, success, episodeReturn, Distance(obs.AchievedGoal, obs.DesiredGoal), length);
        }
        return Summarize(records);
    }

    /// <summary>
    /// Evaluates <paramref name="policy"/> with <paramref name="envs"/>.Count episodes side by side, each environment
    /// taking the next episode when its own ends; episode i is reset with seed <c>firstSeed + i</c> as in
    /// <see cref="Evaluate"/>, and the records come back in episode order. The environments are used for nothing else.
    /// </summary>
    public static EvaluationResult EvaluateBatched(IBatchGoalPolicy policy, IReadOnlyList<IGoalEnv> envs, int episodes, ulong firstSeed,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(envs);
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "must be at least 1");
        if (envs.Count < 1) throw new ArgumentException("needs at least one environment", nameof(envs));
        int slots = Math.Min(envs.Count, episodes);
        int actionSize = envs[0].ActionSpace.Size;
        var records = new EpisodeRecord[episodes];
        var running = new List<Slot>(slots);
        int nextEpisode = 0;
        for (; nextEpisode < slots; nextEpisode++) running.Add(Slot.Start(envs[nextEpisode], nextEpisode, firstSeed));

        var observations = new List<GoalObservation>(slots);
        var actions = new float[slots * actionSize];
        while (running.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested(); // Ctrl+C/SIGTERM stops between steps
            observations.Clear();
            foreach (var slot in running) observations.Add(slot.Observation);
            policy.Act(observations, actions.AsSpan(0, running.Count * actionSize));
            for (int s = running.Count - 1; s >= 0; s--)
            {
                var slot = running[s];
                if (!slot.Step(actions.AsSpan(s * actionSize, actionSize))) continue;
                records[slot.Episode] = slot.Record();
                if (nextEpisode < episodes) running[s] = Slot.Start(slot.Env, nextEpisode++, firstSeed);
                else running.RemoveAt(s);
            }
        }
        return Summarize(records);
    }

    /// <summary>One environment's episode in progress during a batched evaluation.</summary>
    private sealed class Slot
    {
        private double _return;
        private int _length;
        private bool _success;

        private Slot(IGoalEnv env, int episode, ulong seed, GoalObservation observation)
        {
            Env = env; Episode = episode; Seed = seed; Observation = observation;
        }

        public IGoalEnv Env { get; }
        public int Episode { get; }
        public ulong Seed { get; }
        public GoalObservation Observation { get; private set; }

        public static Slot Start(IGoalEnv env, int episode, ulong firstSeed)
        {
            ulong seed = firstSeed + (ulong)episode;
            return new Slot(env, episode, seed, env.Reset(seed));
        }

        /// <summary>Steps with <paramref name="action"/>; true when the episode ended.</summary>
        public bool Step(ReadOnlySpan<float> action)
        {
            var step = Env.Step(action);
            _return += step.Reward;
            _length++;
            Observation = step.Observation;
            _success = step.Info.IsSuccess;
            return step.Terminated || step.Truncated;
        }

        public EpisodeRecord Record() =>
            new(Episode, Seed, _success, _return, Distance(Observation.AchievedGoal, Observation.DesiredGoal), _length);
    }

    private static EvaluationResult Summarize(EpisodeRecord[] records) => new(records.Length,
        SuccessRate: records.Count(r => r.Success) / (double)records.Length,
        MeanReturn: records.Average(r => r.Return),
        MeanFinalDistance: records.Average(r => r.FinalDistance),
        records);

    /// <summary>Loads the policy of a checkpoint folder (or the latest checkpoint of a run folder) and evaluates
    /// it for <paramref name="episodes"/> episodes, episode i reset with seed <paramref name="seed"/> + i; without a
    /// seed, from the run's own <c>eval.eval_seed</c>, so the episodes are those its training evaluations used.</summary>
    public static EvaluationResult EvaluateCheckpoint(string checkpointPath, int episodes = 100, ulong? seed = null, int threads = 1,
        CancellationToken cancellationToken = default)
    {
        using var loaded = RunCheckpoint.LoadPolicy(checkpointPath, threads);
        var envs = new List<IGoalEnv> { loaded.Env };
        while (envs.Count < Math.Min(episodes, MaxParallelEpisodes)) envs.Add(EnvRegistry.Make(loaded.Config.Env.Id, loaded.Config.Env.Options));
        return EvaluateBatched(loaded.Policy, envs, episodes, seed ?? loaded.Config.Eval.EvalSeed, cancellationToken);
    }

    /// <summary>Euclidean distance between achieved and desired goal.</summary>
    public static double Distance(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired)
    {
        double sum = 0;
        for (int i = 0; i < achieved.Length; i++) { double d = achieved[i] - desired[i]; sum += d * d; }
        return Math.Sqrt(sum);
    }
}
