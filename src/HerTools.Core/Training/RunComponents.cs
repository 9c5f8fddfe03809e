using HerTools.Core.Agents;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Metrics;
using HerTools.Core.Randomness;
using HerTools.Core.Replay;

namespace HerTools.Core.Training;

/// <summary>
/// The composition of a run: what its config builds before the first step. The training environment's
/// <c>n_envs</c> copies and the evaluation environments, the HER buffer (a lane per copy), the agent, the exploration
/// noise (one process per copy), the random streams and the batch gradient steps sample into. Nothing here decides
/// what happens next: that is the loop's <see cref="RunState"/>.
/// </summary>
internal sealed class RunComponents : IDisposable
{
    public RunComponents(RunConfig config)
    {
        EnvCheckWarnings = PluginEnvFirstUseCheck.Run(config); // before anything is made: it may refuse the environment
        var copies = new List<IGoalEnv>();
        try
        {
            for (int i = 0; i < config.NEnvs; i++) copies.Add(GoalEnvFactory.Make(config));
            Envs = new VecGoalEnv(copies.ToArray());
            EvalEnvs = new IGoalEnv[GoalEnvFactory.EvaluationCopies(config, config.Eval.NEvalEpisodes)];
            for (int i = 0; i < EvalEnvs.Length; i++) EvalEnvs[i] = GoalEnvFactory.Make(config);
            int observationSize = Env.ObservationSpace.Observation.Size, goalSize = Env.ObservationSpace.DesiredGoal.Size;
            int actionSize = Env.ActionSpace.Size;
            var algorithm = AlgorithmRegistry.Get(config.Algo);
            Buffer = new VecHerReplayBuffer(config.Ddpg.BufferSize, Enumerable.Range(0, Envs.Count).Select(i => Envs[i]).ToList(),
                GoalSelectionStrategyNames.Parse(config.Her.GoalSelectionStrategy), algorithm.Relabels ? config.Her.EffectiveRatio : 0.0);
            ActionRng = Rng.ForStream(config.Seed, "actions");
            NoiseRng = Rng.ForStream(config.Seed, "noise");
            SampleRng = Rng.ForStream(config.Seed, "sampling");
            var options = AgentOptions(config);
            if (config.Threads == 0)
            {
                ThreadChoice = ThreadCountProbe.Choose(options, observationSize, goalSize, actionSize, Env.ActionSpace.Low, Env.ActionSpace.High,
                    config.Ddpg.BatchSize);
                options = options with { Threads = ThreadChoice.Threads };
                ThreadGovernor = new ThreadCountGovernor(ThreadChoice.Threads, ThreadChoice.Rates.Count);
            }
            // Every copy's process draws from the one noise stream, in copy order: copy 0's draws are then those of a single environment.
            Noises = CreateNoises(config, Env.ActionSpace, NoiseRng);
            Batch = new ReplayBatch(config.Ddpg.BatchSize, observationSize, goalSize, actionSize);
            ProgressSchema = ProgressRow.SchemaVersionFor(algorithm.Learner);
            ProgressColumns = ProgressRow.Columns(ProgressSchema);
            Agent = CreateAgent(config, options, Env); // last: nothing after it can throw
        }
        catch
        {
            // Environment processes end with the run that could not be made.
            foreach (var copy in copies) (copy as IDisposable)?.Dispose();
            foreach (var env in EvalEnvs) (env as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The <c>n_envs</c> copies of the training environment.</summary>
    public VecGoalEnv Envs { get; }
    /// <summary>Copy 0: the training environment's spaces and id.</summary>
    public IGoalEnv Env => Envs[0];
    /// <summary>Instances for evaluations, so they never disturb the training episode in progress: one per episode
    /// run side by side (<see cref="GoalEnvFactory.EvaluationCopies"/>).</summary>
    public IGoalEnv[] EvalEnvs { get; } = [];
    /// <summary>What the first-use check of a plug-in environment found but does not refuse, for the loop to report.</summary>
    public IReadOnlyList<string> EnvCheckWarnings { get; }
    public VecHerReplayBuffer Buffer { get; }
    public GoalConditionedAgent Agent { get; }
    /// <summary>The exploration noise of each copy, or null without noise.</summary>
    public IActionNoise[]? Noises { get; }
    /// <summary>Exploration draws: uniform actions before learning starts and for <c>random_eps</c>.</summary>
    public Rng ActionRng { get; }
    public Rng NoiseRng { get; }
    /// <summary>The buffer's draws: which transitions, which are relabeled, with which goals.</summary>
    public Rng SampleRng { get; }
    public ReplayBatch Batch { get; }
    /// <summary>With <c>threads: 0</c>: the count the probe chose, and the governor that may change it during the run.</summary>
    public ThreadChoice? ThreadChoice { get; }
    public ThreadCountGovernor? ThreadGovernor { get; }
    /// <summary>The learner's <c>progress.csv</c> column set (<see cref="ProgressRow"/>: 2 for SAC, 1 for the others) and its columns.</summary>
    public int ProgressSchema { get; }
    public CsvHelper.Configuration.ClassMap<ProgressRow> ProgressColumns { get; }

    /// <summary>The agent a config describes for <paramref name="env"/>: what training builds and a checkpoint's policy loads into.</summary>
    public static GoalConditionedAgent CreateAgent(RunConfig config, LearnerOptions options, IGoalEnv env) =>
        new(options, env.ObservationSpace.Observation.Size, env.ObservationSpace.DesiredGoal.Size, env.ActionSpace,
            AlgorithmRegistry.Get(config.Algo).Learner, Td3Options(config), SacOptions(config));

    private static Td3Options Td3Options(RunConfig c) => new()
    {
        PolicyDelay = c.Td3.PolicyDelay, TargetPolicyNoise = c.Td3.TargetPolicyNoise, TargetNoiseClip = c.Td3.TargetNoiseClip,
    };

    private static SacOptions SacOptions(RunConfig c)
    {
        var (tuned, entCoef) = SacConfig.ParseEntCoef(c.Sac.EntCoef);
        return new SacOptions { AutoEntropyCoef = tuned, EntCoef = entCoef, TargetEntropy = SacConfig.ParseTargetEntropy(c.Sac.TargetEntropy) };
    }

    public static LearnerOptions AgentOptions(RunConfig c) => new()
    {
        HiddenSizes = c.Ddpg.HiddenSizes, Activation = c.Ddpg.Activation,
        ActorLearningRate = c.Ddpg.ActorLr, CriticLearningRate = c.Ddpg.CriticLr, Tau = c.Ddpg.Tau, Gamma = c.Ddpg.Gamma,
        ActionL2 = c.Ddpg.ActionL2, ClipReturn = c.Ddpg.ClipReturn, Normalize = c.Ddpg.Normalize, RelativeGoals = c.Ddpg.RelativeGoals,
        NormalizerClipRange = (float)c.Ddpg.NormClip, Threads = c.Threads, Seed = Rng.ForStream(c.Seed, "init").NextUInt64(),
    };

    /// <summary>Seed of copy <paramref name="copy"/>'s first reset: copy 0 takes the run's seed (so one copy trains as a single
    /// environment always has), the others seeds of their own derived from it.</summary>
    public static ulong EnvSeed(RunConfig config, int copy) => copy == 0 ? config.Seed : Rng.ForStream(config.Seed, $"env copy {copy}").NextUInt64();

    /// <summary>The <c>n_envs</c> copies of a config's environment, built one after another. Each is an instance of its
    /// own, so an environment that runs in a child process has one child per copy, stepped concurrently when its
    /// instances say they are thread-safe (<see cref="IThreadSafeEnv"/>).</summary>
    public static IGoalEnv[] MakeCopies(RunConfig config)
    {
        var copies = new IGoalEnv[config.NEnvs];
        for (int i = 0; i < copies.Length; i++) copies[i] = GoalEnvFactory.Make(config);
        return copies;
    }

    /// <summary>One noise process per copy, all drawing from <paramref name="rng"/>; null when the config has none.</summary>
    public static IActionNoise[]? CreateNoises(RunConfig config, Box actionSpace, Rng rng)
    {
        if (CreateNoise(config.Ddpg, actionSpace, rng) is not { } first) return null;
        var noises = new IActionNoise[config.NEnvs];
        noises[0] = first;
        for (int i = 1; i < noises.Length; i++) noises[i] = CreateNoise(config.Ddpg, actionSpace, rng)!;
        return noises;
    }

    public static IActionNoise? CreateNoise(DdpgConfig c, Box actionSpace, Rng rng) => c.ActionNoise switch
    {
        "gaussian" => new GaussianNoise(actionSpace.Size, c.NoiseSigma, rng),
        "ornstein_uhlenbeck" => new OrnsteinUhlenbeckNoise(actionSpace.Size, c.NoiseSigma, rng),
        _ => null,
    };

    public void Dispose()
    {
        Agent.Dispose();
        // An environment process ends with its run.
        for (int i = 0; i < Envs.Count; i++) (Envs[i] as IDisposable)?.Dispose();
        foreach (var env in EvalEnvs) (env as IDisposable)?.Dispose();
    }
}
