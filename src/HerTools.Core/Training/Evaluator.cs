namespace HerTools.Core.Training;

/// <summary>Evaluation under the spec's protocol: deterministic policy, fixed reset seeds apart from training.</summary>
public static class Evaluator
{
    /// <summary>Loads the policy of a checkpoint folder and evaluates it for <paramref name="episodes"/> episodes,
    /// episode i reset with seed <paramref name="seed"/> + i.</summary>
    public static EvaluationResult EvaluateCheckpoint(string checkpointPath, int episodes = 100, ulong seed = 1_000_000_007UL, int threads = 1)
    {
        throw new NotImplementedException("evaluation lands with issue 6");
    }
}
