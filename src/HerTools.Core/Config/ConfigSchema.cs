using System.Security.Cryptography;
using System.Text;
using HerTools.Core.Scalars;

namespace HerTools.Core.Config;

/// <summary>
/// The one schema of run configs: every key with its type, default and meaning, in the order
/// <c>config.yaml</c> writes them. The reference page <c>docs/config.md</c> is generated from it
/// (<see cref="ToMarkdown"/>; a test keeps the page in step).
/// Environment options (<c>env.n_bits</c>, ...) are declared by each environment in the registry.
/// </summary>
public static class ConfigSchema
{
    public static IReadOnlyList<ConfigKey> Keys { get; } =
    [
        Key("algo", ConfigValueKind.String,
            "Algorithm: a learner with hindsight relabeling, `her` (DDPG), `td3_her`, `sac_her`, or the same learner with plain replay (the baseline " +
            "HER must beat), `ddpg`, `td3`, `sac`; or one a user registers. The learner's own section (`td3:`, `sac:`) applies only to it.",
            c => c.Algo, (c, v) => c.Algo = (string)v!, v => AlgorithmRegistry.IsRegistered((string)v!) ? null
                : $"expected a registered algorithm ({string.Join(", ", AlgorithmRegistry.List().Select(a => a.Name))}), got '{v}'"),
        Key("seed", ConfigValueKind.ULong, "Seed of every generator of the run (environment, noise, buffer sampling, network init).",
            c => c.Seed, (c, v) => c.Seed = (ulong)v!),
        Key("total_timesteps", ConfigValueKind.Long, "Environment steps to train for.",
            c => c.TotalTimesteps, (c, v) => c.TotalTimesteps = (long)v!, AtLeast(1L)),
        Key("threads", ConfigValueKind.Int,
            "TorchSharp intra-op threads for this run. 1 is reproducible bit for bit; more is faster on an idle machine and slower under a competing load; 0 " +
            "(auto) times the run's own update at each count from 1 to the cores and keeps the fastest, then keeps timing the run's updates and tries the " +
            "other counts again after 1,000 updates (then twice as late each time nothing faster turns up, up to 64,000) or at once when two windows of 100 " +
            "updates in a row fall below 60% of the chosen rate, and switches to a count at least 10% faster.",
            c => c.Threads, (c, v) => c.Threads = (int)v!, Between(0, 256)),
        Key("n_envs", ConfigValueKind.Int,
            "Copies of the environment stepped in lockstep and acted on with one forward pass (Stable-Baselines3's `n_envs`). Copy 0 is reset " +
            "with `seed`, the others with seeds derived from it; each keeps its own episodes in the replay buffer, which gives each " +
            "`buffer_size / n_envs` transitions. A step is one transition per copy: `total_timesteps`, `learning_starts` and the " +
            "`*_freq`/`*_interval` keys count transitions, `train_freq` counts steps of all copies and `gradient_steps: -1` the transitions " +
            "collected. Copies of an environment that says it is thread-safe are stepped on worker threads. Written in `config.yaml` only " +
            "when not 1.",
            c => c.NEnvs, (c, v) => c.NEnvs = (int)v!, Between(1, MaxEnvs), omitAtDefault: true),
        Key("run_id", ConfigValueKind.String, "Name of the run in its logs; empty: the run folder's name.",
            c => c.RunId, (c, v) => c.RunId = (string)v!),

        Key("env.id", ConfigValueKind.String,
            "Registered goal environment id (`PointGoal-v0`, `BitFlip-v0`, `Push2D-v0`, or one a user assembly registers). "
            + "Its options sit beside it: `env.n_bits`, ...",
            c => c.Env.Id, (c, v) => c.Env = c.Env with { Id = (string)v! }),
        Key("env.assembly", ConfigValueKind.PathList,
            "Environment plug-ins to load before `env.id` is looked up: a .NET class library (or a list of them) whose `[GoalEnvironment]` "
            + "classes become environments like the built-in ones. A relative path is relative to the config file that names it. Run folders "
            + "and checkpoints record each file's SHA-256; a resume or an evaluation refuses a changed one. See docs/your-own-environment.md.",
            c => c.Env.Assemblies, (c, v) => c.Env = c.Env with { Assemblies = (string[])v! }),
        Key("env.command", ConfigValueKind.Command,
            "With `env.id: process`: the command that starts an environment process in any language, e.g. `[python3, my_env.py]` (an "
            + "argument naming a file beside the config is made absolute). It speaks the protocol of docs/process-env-protocol.md; the other "
            + "`env.` keys are sent to it as its options.",
            c => c.Env.Command, (c, v) => c.Env = c.Env with { Command = (string[])v! }),
        Key("env.process_timeout_seconds", ConfigValueKind.Double,
            "With `env.id: process`: how long one answer of the environment process may take before it is taken for hung, killed, and the "
            + "run stopped with its last stderr lines. The first answer, after it starts up, may take at least 60 s.",
            c => c.Env.ProcessTimeoutSeconds, (c, v) => c.Env = c.Env with { ProcessTimeoutSeconds = (double)v! }, Positive()),

        Key("her.n_sampled_goal", ConfigValueKind.Int, "Virtual (relabeled) goals per real transition, k: the relabeled share of a batch is k/(k+1).",
            c => c.Her.NSampledGoal, (c, v) => c.Her.NSampledGoal = (int)v!, AtLeast(0)),
        Key("her.her_ratio", ConfigValueKind.Double, "Relabeled share of a batch, in [0, 1]; when set it replaces `n_sampled_goal`.",
            c => c.Her.HerRatio, (c, v) => c.Her.HerRatio = (double?)v, Between(0.0, 1.0), nullable: true),
        Key("her.goal_selection_strategy", ConfigValueKind.Choice,
            "Where relabeled goals come from: `future` (achieved later in the same episode), `final` (the episode's last), `episode` (any of the episode).",
            c => c.Her.GoalSelectionStrategy, (c, v) => c.Her.GoalSelectionStrategy = (string)v!, choices: ["future", "final", "episode"]),

        Key("ddpg.buffer_size", ConfigValueKind.Int, "Replay capacity in transitions; the oldest episodes are evicted first.",
            c => c.Ddpg.BufferSize, (c, v) => c.Ddpg.BufferSize = (int)v!, AtLeast(1)),
        Key("ddpg.learning_starts", ConfigValueKind.Int, "Environment steps of uniformly random actions before learning starts.",
            c => c.Ddpg.LearningStarts, (c, v) => c.Ddpg.LearningStarts = (int)v!, AtLeast(0)),
        Key("ddpg.batch_size", ConfigValueKind.Int, "Transitions per gradient step.",
            c => c.Ddpg.BatchSize, (c, v) => c.Ddpg.BatchSize = (int)v!, Between(1, 1 << 20)),
        Key("ddpg.gamma", ConfigValueKind.Double, "Discount factor, in (0, 1).",
            c => c.Ddpg.Gamma, (c, v) => c.Ddpg.Gamma = (double)v!, Open(0.0, 1.0)),
        Key("ddpg.tau", ConfigValueKind.Double, "Polyak coefficient of target updates, in (0, 1]: target = (1 - tau) target + tau online.",
            c => c.Ddpg.Tau, (c, v) => c.Ddpg.Tau = (double)v!, HalfOpen(0.0, 1.0)),
        Key("ddpg.actor_lr", ConfigValueKind.Double, "Adam learning rate of the actor.",
            c => c.Ddpg.ActorLr, (c, v) => c.Ddpg.ActorLr = (double)v!, Positive()),
        Key("ddpg.critic_lr", ConfigValueKind.Double, "Adam learning rate of the critic.",
            c => c.Ddpg.CriticLr, (c, v) => c.Ddpg.CriticLr = (double)v!, Positive()),
        Key("ddpg.hidden_sizes", ConfigValueKind.IntList, "Hidden layer widths of both actor and critic.",
            c => c.Ddpg.HiddenSizes, (c, v) => c.Ddpg.HiddenSizes = (int[])v!, v => ((int[])v!).Length == 0
                || ((int[])v!).Any(w => w < 1) ? "needs at least one layer, every width at least 1" : null),
        Key("ddpg.activation", ConfigValueKind.Choice, "Hidden-layer activation.",
            c => c.Ddpg.Activation, (c, v) => c.Ddpg.Activation = (string)v!, choices: ["relu", "tanh", "elu", "leaky_relu"]),
        Key("ddpg.schedule", ConfigValueKind.Choice,
            "`step`: train every `train_freq` units with `gradient_steps` updates, target update after each; `cycle`: the HER paper's cycles of " +
            "`episodes_per_cycle` episodes, `n_batches` updates, one target update.",
            c => c.Ddpg.Schedule, (c, v) => c.Ddpg.Schedule = (string)v!, choices: ["step", "cycle"]),
        Key("ddpg.train_freq", ConfigValueKind.Int, "Train every this many `train_freq_unit`s (step schedule).",
            c => c.Ddpg.TrainFreq, (c, v) => c.Ddpg.TrainFreq = (int)v!, AtLeast(1)),
        Key("ddpg.train_freq_unit", ConfigValueKind.Choice, "Unit of `train_freq`: `step` or `episode`.",
            c => c.Ddpg.TrainFreqUnit, (c, v) => c.Ddpg.TrainFreqUnit = (string)v!, choices: ["step", "episode"]),
        Key("ddpg.gradient_steps", ConfigValueKind.Int,
            "Gradient steps per training round (step schedule); -1: as many as environment steps collected since the last round.",
            c => c.Ddpg.GradientSteps, (c, v) => c.Ddpg.GradientSteps = (int)v!, v => (int)v! == -1 || (int)v! >= 1 ? null : "must be -1 or at least 1"),
        Key("ddpg.n_cycles", ConfigValueKind.Int,
            "Cycles per epoch (cycle schedule); with `eval.eval_freq: 0` an evaluation runs at each epoch's end, as in the HER paper.",
            c => c.Ddpg.NCycles, (c, v) => c.Ddpg.NCycles = (int)v!, AtLeast(1)),
        Key("ddpg.episodes_per_cycle", ConfigValueKind.Int, "Episodes collected per cycle (cycle schedule).",
            c => c.Ddpg.EpisodesPerCycle, (c, v) => c.Ddpg.EpisodesPerCycle = (int)v!, AtLeast(1)),
        Key("ddpg.n_batches", ConfigValueKind.Int, "Gradient steps per cycle, followed by one target update (cycle schedule).",
            c => c.Ddpg.NBatches, (c, v) => c.Ddpg.NBatches = (int)v!, AtLeast(1)),
        Key("ddpg.action_noise", ConfigValueKind.Choice, "Exploration noise added to the policy's action: `gaussian`, `ornstein_uhlenbeck` or `none`.",
            c => c.Ddpg.ActionNoise, (c, v) => c.Ddpg.ActionNoise = (string)v!, choices: ["gaussian", "ornstein_uhlenbeck", "none"]),
        Key("ddpg.noise_sigma", ConfigValueKind.Double, "Standard deviation of the exploration noise, as a share of the action range's half-width.",
            c => c.Ddpg.NoiseSigma, (c, v) => c.Ddpg.NoiseSigma = (double)v!, AtLeast(0.0)),
        Key("ddpg.random_eps", ConfigValueKind.Double, "Share of steps that take a uniformly random action instead (HER paper: 0.3).",
            c => c.Ddpg.RandomEps, (c, v) => c.Ddpg.RandomEps = (double)v!, Between(0.0, 1.0)),
        Key("ddpg.action_l2", ConfigValueKind.Double, "L2 penalty on the actor's (pre-scaling) actions in the actor loss (HER paper: 1.0).",
            c => c.Ddpg.ActionL2, (c, v) => c.Ddpg.ActionL2 = (double)v!, AtLeast(0.0)),
        Key("ddpg.clip_return", ConfigValueKind.Bool, "Clip critic targets to the return range [-1/(1-gamma), 0] of -1/0 rewards (HER paper).",
            c => c.Ddpg.ClipReturn, (c, v) => c.Ddpg.ClipReturn = (bool)v!),
        Key("ddpg.normalize", ConfigValueKind.Bool, "Running mean/std normalisation of observations and goals, kept apart; saved with the model (HER paper).",
            c => c.Ddpg.Normalize, (c, v) => c.Ddpg.Normalize = (bool)v!),
        Key("ddpg.relative_goals", ConfigValueKind.Bool,
            "Networks see desired_goal - achieved_goal instead of the desired goal (baselines' HER `relative_goals`): what is left to do rather than where " +
            "to go. Decisive on BitFlip-v0, where the action needed is the difference.",
            c => c.Ddpg.RelativeGoals, (c, v) => c.Ddpg.RelativeGoals = (bool)v!),
        Key("ddpg.norm_clip", ConfigValueKind.Double, "Clip range of normalised inputs (HER paper: 5).",
            c => c.Ddpg.NormClip, (c, v) => c.Ddpg.NormClip = (double)v!, Positive()),

        Key("td3.policy_delay", ConfigValueKind.Int, "TD3: the actor and the targets move once every this many critic updates (SB3's `policy_delay`).",
            c => c.Td3.PolicyDelay, (c, v) => c.Td3.PolicyDelay = (int)v!, AtLeast(1)),
        Key("td3.target_policy_noise", ConfigValueKind.Double,
            "TD3: standard deviation of the Gaussian noise on the target action, in the unit action space (SB3's `target_policy_noise`).",
            c => c.Td3.TargetPolicyNoise, (c, v) => c.Td3.TargetPolicyNoise = (double)v!, AtLeast(0.0)),
        Key("td3.target_noise_clip", ConfigValueKind.Double, "TD3: the target noise is clipped to [-clip, clip] (SB3's `target_noise_clip`).",
            c => c.Td3.TargetNoiseClip, (c, v) => c.Td3.TargetNoiseClip = (double)v!, AtLeast(0.0)),

        Key("sac.ent_coef", ConfigValueKind.String,
            "SAC: entropy coefficient, as SB3's `ent_coef`: `auto` (tuned towards `target_entropy`, starting at 1), `auto_<start>` (e.g. `auto_0.1`), " +
            "or a fixed positive number.",
            c => c.Sac.EntCoef, (c, v) => c.Sac.EntCoef = (string)v!, v => Check(() => SacConfig.ParseEntCoef((string)v!))),
        Key("sac.target_entropy", ConfigValueKind.String, "SAC: the entropy the tuned coefficient aims for: `auto` (-dim(action), SB3's default) or a number.",
            c => c.Sac.TargetEntropy, (c, v) => c.Sac.TargetEntropy = (string)v!, v => Check(() => SacConfig.ParseTargetEntropy((string)v!))),

        Key("eval.eval_freq", ConfigValueKind.Long,
            "Evaluate every this many environment steps; 0: at each epoch's end with the cycle schedule (the HER paper's protocol), otherwise only at the " +
            "end of training. The end of training is always evaluated.",
            c => c.Eval.EvalFreq, (c, v) => c.Eval.EvalFreq = (long)v!, AtLeast(0L)),
        Key("eval.n_eval_episodes", ConfigValueKind.Int, "Episodes per evaluation (the spec's protocol: 100).",
            c => c.Eval.NEvalEpisodes, (c, v) => c.Eval.NEvalEpisodes = (int)v!, AtLeast(1)),
        Key("eval.eval_seed", ConfigValueKind.ULong, "Reset seed of the first evaluation episode; episode i uses eval_seed + i, apart from training seeds.",
            c => c.Eval.EvalSeed, (c, v) => c.Eval.EvalSeed = (ulong)v!),

        Key("log.log_interval", ConfigValueKind.Long, "A `progress.csv` row every this many environment steps.",
            c => c.Log.LogInterval, (c, v) => c.Log.LogInterval = (long)v!, AtLeast(1L)),
        Key("log.tensorboard", ConfigValueKind.Bool,
            "Also write every `progress.csv` and `eval.csv` row's scalars to a TensorBoard event file in the run folder (`tensorboard --logdir`).",
            c => c.Log.Tensorboard, (c, v) => c.Log.Tensorboard = (bool)v!, omitAtDefault: true),

        Key("checkpoint.checkpoint_freq", ConfigValueKind.Long, "Save a checkpoint every this many environment steps; 0: only at the end and when stopped.",
            c => c.Checkpoint.CheckpointFreq, (c, v) => c.Checkpoint.CheckpointFreq = (long)v!, AtLeast(0L)),
        Key("checkpoint.keep_last", ConfigValueKind.Int, "How many of the latest `step_<N>` checkpoints to keep.",
            c => c.Checkpoint.KeepLast, (c, v) => c.Checkpoint.KeepLast = (int)v!, AtLeast(1)),
        Key("checkpoint.keep_best", ConfigValueKind.Bool, "Keep the checkpoint with the best evaluation success in `checkpoints/best/`.",
            c => c.Checkpoint.KeepBest, (c, v) => c.Checkpoint.KeepBest = (bool)v!),
        Key("checkpoint.save_replay_buffer", ConfigValueKind.Bool, "Include the replay buffer in `step_<N>` checkpoints (needed for an exact resume).",
            c => c.Checkpoint.SaveReplayBuffer, (c, v) => c.Checkpoint.SaveReplayBuffer = (bool)v!),
        Key("checkpoint.best_save_replay_buffer", ConfigValueKind.Bool, "Include the replay buffer in the `best` copy too.",
            c => c.Checkpoint.BestSaveReplayBuffer, (c, v) => c.Checkpoint.BestSaveReplayBuffer = (bool)v!),
    ];

    private static readonly Dictionary<string, ConfigKey> ByPath = Keys.ToDictionary(k => k.Path, StringComparer.Ordinal);

    public static ConfigKey? Find(string path) => ByPath.GetValueOrDefault(path);

    /// <summary>The sections keys are grouped under (<c>env</c>, <c>her</c>, ...).</summary>
    public static IReadOnlySet<string> Sections { get; } = Keys.Where(k => k.Path.Contains('.'))
        .Select(k => k.Path[..k.Path.IndexOf('.')]).ToHashSet(StringComparer.Ordinal);

    internal static string ToYaml(RunConfig config, bool includeIdentity = true)
    {
        var sb = new StringBuilder();
        string? section = null;
        foreach (var key in Keys)
        {
            // The hash identifies a setting: seed, name and budget (a resume may extend it) are not part of one.
            if (!includeIdentity && key.Path is "seed" or "run_id" or "total_timesteps") continue;
            // Written only when used, so configs (and their hashes) without plug-ins read as they always did.
            if (key.Path == "env.assembly" && config.Env.Assemblies.Length == 0) continue;
            if (key.Path is "env.command" or "env.process_timeout_seconds" && config.Env.Id != Envs.ProcessGoalEnv.EnvId) continue;
            // A key added after runs existed keeps their config.yaml and hash as they were while it has its default.
            if (key.OmitAtDefault && Equals(key.Get(config), key.Default)) continue;
            // Where the scalars also go changes nothing a run computes: not part of the hash either.
            if (!includeIdentity && key.Path == "log.tensorboard") continue;
            int dot = key.Path.IndexOf('.');
            string name = dot < 0 ? key.Path : key.Path[(dot + 1)..];
            string? keySection = dot < 0 ? null : key.Path[..dot];
            // A learner's own section is written only for that learner: configs of the others read (and hash) as they always did.
            if (IsLearnerSection(keySection) && keySection != LearnerOf(config)) continue;
            if (keySection != section)
            {
                section = keySection;
                if (section is not null) sb.Append(section).Append(":\n");
            }
            sb.Append(section is null ? "" : "  ").Append(name).Append(": ").Append(FormatValue(key.Get(config))).Append('\n');
            if (key.Path == "env.id")
                foreach (var (option, value) in config.Env.Options)
                    sb.Append("  ").Append(option).Append(": ").Append(FormatValue(value)).Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The sections that belong to one learner (<c>td3</c>, <c>sac</c>).</summary>
    internal static bool IsLearnerSection(string? section) => section is "td3" or "sac";

    /// <summary>The learner of the config's algorithm; <c>ddpg</c> for a name not registered (validation reports it).</summary>
    internal static string LearnerOf(RunConfig config) =>
        AlgorithmRegistry.IsRegistered(config.Algo) ? AlgorithmRegistry.Get(config.Algo).Learner : "ddpg";

    internal static string Hash(RunConfig config)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(ToYaml(config, includeIdentity: false)));
        return Convert.ToHexStringLower(digest)[..12];
    }

    internal static string FormatValue(object? value) => ScalarText.Format(value);

    /// <summary>The reference page of every key (<c>docs/config.md</c>).</summary>
    public static string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("| key | type | default | meaning |\n| --- | --- | --- | --- |\n");
        foreach (var key in Keys)
            sb.Append("| `").Append(key.Path).Append("` | ").Append(key.TypeName).Append(" | `").Append(FormatValue(key.Default))
              .Append("` | ").Append(key.Description).Append(" |\n");
        return sb.ToString();
    }

    /// <summary>Most environment copies a run steps (<c>n_envs</c>).</summary>
    public const int MaxEnvs = 256;

    private static ConfigKey Key(string path, ConfigValueKind kind, string description, Func<RunConfig, object?> get, Action<RunConfig, object?> set,
        Func<object?, string?>? check = null, string[]? choices = null, bool nullable = false, bool omitAtDefault = false) =>
        new(path, kind, description, get, set, check, choices, nullable, omitAtDefault);

    private static Func<object?, string?> AtLeast<T>(T min) where T : IComparable<T> =>
        v => ((T)v!).CompareTo(min) >= 0 ? null : $"must be at least {min}, got {FormatValue(v)}";

    private static Func<object?, string?> Between<T>(T min, T max) where T : IComparable<T> =>
        v => ((T)v!).CompareTo(min) >= 0 && ((T)v!).CompareTo(max) <= 0 ? null : $"must be in [{FormatValue(min)}, {FormatValue(max)}], got {FormatValue(v)}";

    private static Func<object?, string?> Open(double min, double max) =>
        v => (double)v! > min && (double)v! < max ? null : $"must be in ({FormatValue(min)}, {FormatValue(max)}), got {FormatValue(v)}";

    private static Func<object?, string?> HalfOpen(double min, double max) =>
        v => (double)v! > min && (double)v! <= max ? null : $"must be in ({FormatValue(min)}, {FormatValue(max)}], got {FormatValue(v)}";

    private static string? Check(Action parse)
    {
        try { parse(); return null; }
        catch (ArgumentException e) { return e.Message; }
    }

    private static Func<object?, string?> Positive() =>
        v => (double)v! > 0 ? null : $"must be greater than 0, got {FormatValue(v)}";
}
