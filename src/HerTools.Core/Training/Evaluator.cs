using HerTools.Core.Agents;
using HerTools.Core.Envs;

namespace HerTools.Core.Training;

/// <summary>
/// Evaluation under the spec's protocol: the deterministic policy (no exploration noise), episode i reset
/// with seed <c>firstSeed + i</c> (fixed, and apart from training seeds), success read at the episode's last step.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="policy"/> on <paramref name="env"/> (an instance used for nothing else).</summary>
    public static EvaluationResult Evaluate(IGoalPolicy policy, IGoalEnv env, int episodes, ulong firstSeed)
    {
        if (episodes < 1) throw new ArgumentOutOfRangeException(nameof(episodes), episodes, "must be at least 1");
        var action = new float[env.ActionSpace.Size];
        var records = new EpisodeRecord[episodes];
        for (int i = 0; i < episodes; i++)
        {
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
        return new EvaluationResult(episodes,
            SuccessRate: records.Count(r => r.Success) / (double)episodes,
            MeanReturn: records.Average(r => r.Return),
            MeanFinalDistance: records.Average(r => r.FinalDistance),
            records);
    }

    /// <summary>Loads the policy of a checkpoint folder (or the latest checkpoint of a run folder) and evaluates
    /// it for <paramref name="episodes"/> episodes, episode i reset with seed <paramref name="seed"/> + i; without a
    /// seed, from the run's own <c>eval.eval_seed</c>, so the episodes are those its training evaluations used.</summary>
    public static EvaluationResult EvaluateCheckpoint(string checkpointPath, int episodes = 100, ulong? seed = null, int threads = 1)
    {
        using var loaded = RunCheckpoint.LoadPolicy(checkpointPath, threads);
        return Evaluate(loaded.Policy, loaded.Env, episodes, seed ?? loaded.Config.Eval.EvalSeed);
    }

    /// <summary>Euclidean distance between achieved and desired goal.</summary>
    public static double Distance(ReadOnlySpan<float> achieved, ReadOnlySpan<float> desired)
    {
        double sum = 0;
        for (int i = 0; i < achieved.Length; i++) { double d = achieved[i] - desired[i]; sum += d * d; }
        return Math.Sqrt(sum);
    }
}
