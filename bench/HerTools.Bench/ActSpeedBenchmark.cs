using System.Diagnostics;
using HerTools.Core.Agents;
using HerTools.Core.Envs;
using HerTools.Core.Training;

namespace HerTools.Bench;

/// <summary>
/// <c>act-speed [--hidden W] [--calls N]</c>: the cost of one action for one observation on PointGoal-v0's sizes with
/// two hidden layers of W, through TorchSharp (<c>torch_act_us</c>, <see cref="Ddpg.Act"/>) and through the managed
/// forward pass (<c>managed_act_us</c>), and of refreshing the managed copy after an update
/// (<c>managed_refresh_us</c>: the actor's weights and the normaliser statistics copied): what acting during training
/// pays per step with one update per step is <c>managed_act_us + managed_refresh_us</c>.
/// </summary>
public static class ActSpeedBenchmark
{
    public static int Run(BenchArgs args)
    {
        int hidden = args.Int("hidden", 64);
        int calls = args.Int("calls", 20_000);
        args.EnsureAllUsed();
        if (hidden < 1 || calls < 1) throw new ArgumentException("hidden and calls must be positive");

        var env = new PointGoalEnv();
        var options = new LearnerOptions { HiddenSizes = [hidden, hidden], Threads = 1, Seed = 3, RelativeGoals = true, Normalize = true };
        using var her = new GoalConditionedAgent(options, env.ObservationSpace.Observation.Size, env.ObservationSpace.DesiredGoal.Size, env.ActionSpace);
        var observation = env.Reset(1);
        var row = new float[her.Learner.InputSize];
        var action = new float[env.ActionSpace.Size];
        var model = her.ExportPolicy("her", env.Id);

        double torch = PerCall(calls, () => her.Learner.Act(row, action));
        double managed = PerCall(calls, () => her.Act(observation, action));
        double refresh = PerCall(calls, () => ((IActingStateSource)her.Learner).CopyActingStateTo(model));

        BenchArgs.Print("torch_act_us", torch * 1e6);
        BenchArgs.Print("managed_act_us", managed * 1e6);
        BenchArgs.Print("managed_refresh_us", refresh * 1e6);
        BenchArgs.Print("torch_over_managed_with_refresh", torch / (managed + refresh));
        return 0;
    }

    private static double PerCall(int calls, Action act)
    {
        for (int i = 0; i < Math.Min(calls, 1000); i++) act();
        double best = double.MaxValue;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            long start = Stopwatch.GetTimestamp();
            for (int i = 0; i < calls; i++) act();
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds / calls);
        }
        return best;
    }
}
