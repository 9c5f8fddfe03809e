namespace HerTools.Core.Envs;

// The functions of goals the HER buffer recomputes, each checked one way: ComputeReward, ComputeTerminated and
// ComputeTruncated against what Step returned, row by row, then on every played transition in one batch against
// their own row-by-row answers.
public static partial class EnvChecker
{
    private delegate void GoalFunctionCall<T>(ReadOnlySpan<float> achievedGoals, ReadOnlySpan<float> desiredGoals, ReadOnlySpan<StepInfo> infos, Span<T> into);

    private interface IGoalFunction
    {
        string Check { get; }
        void CheckStep(Transition t, string pair, StepInfo[] info, Findings found);
        void CheckBatch(List<Transition> played, float[] achieved, float[] desired, string whole, Findings found);
    }

    /// <summary>The goal functions <paramref name="env"/> has, ComputeReward first.</summary>
    private static List<IGoalFunction> GoalFunctions(IGoalEnv env)
    {
        var functions = new List<IGoalFunction>
        {
            new GoalFunction<float>(0, "ComputeReward", "reward", RewardCheck, env.ComputeReward, r => r.Reward, SameFloat, F),
        };
        if (env is IComputesTerminated terminated)
            functions.Add(new GoalFunction<bool>(1, "ComputeTerminated", "terminated", TerminatedCheck, terminated.ComputeTerminated, r => r.Terminated, (a,
                b) => a == b, B));
        if (env is IComputesTruncated truncated)
            functions.Add(new GoalFunction<bool>(2, "ComputeTruncated", "truncated", TruncatedCheck, truncated.ComputeTruncated, r => r.Truncated, (a,
                b) => a == b, B));
        return functions;
    }

    // index: where a transition keeps this function's one-row answer (Transition.RowAnswers).
    private sealed class GoalFunction<T>(int index, string name, string quantity, string check, GoalFunctionCall<T> call,
        Func<StepResult, T> stepped, Func<T, T, bool> same, Func<T, string> show) : IGoalFunction where T : struct
    {
        public string Check => check;

        public void CheckStep(Transition t, string pair, StepInfo[] info, Findings found)
        {
            var answer = new T[1];
            try
            {
                call(t.AchievedGoal, t.DesiredGoal, info, answer);
                t.RowAnswers[index] = answer[0];
                T expected = stepped(t.Result);
                if (!same(answer[0], expected))
                    found.Add(check, $"{t.Where}: {quantity} {show(expected)} but {name} gives {show(answer[0])} {pair}");
            }
            catch (Exception ex) { found.Add(ExceptionCheck, $"{t.Where}: {name} threw {Describe(ex)}"); }
        }

        public void CheckBatch(List<Transition> played, float[] achieved, float[] desired, string whole, Findings found)
        {
            var answers = new T[played.Count];
            try
            {
                call(achieved, desired, ReadOnlySpan<StepInfo>.Empty, answers);
                for (int i = 0; i < answers.Length; i++)
                {
                    var t = played[i];
                    T expected = t.RowAnswers[index] is T row ? row : stepped(t.Result);
                    if (!same(answers[i], expected))
                        found.Add(BatchCheck, $"{t.Where}: {name} {whole} gives {show(answers[i])} for this row, but {show(expected)} for the row alone");
                }
            }
            catch (Exception ex) { found.Add(ExceptionCheck, $"{name} {whole} threw {Describe(ex)}"); }
        }
    }
}
