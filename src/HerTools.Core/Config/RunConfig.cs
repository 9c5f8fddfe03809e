namespace HerTools.Core.Config;

/// <summary>
/// A resolved run configuration. Every key, its type, default and meaning is declared once in
/// <see cref="ConfigSchema"/>; this class only holds the values. Build one with <see cref="ConfigLoader"/>.
/// </summary>
public sealed class RunConfig
{
    /// <summary>A learner with or without relabeling: <c>her</c> (DDPG with hindsight relabeling), <c>td3_her</c>, <c>sac_her</c>,
    /// or <c>ddpg</c>, <c>td3</c>, <c>sac</c> (plain replay, the baselines).</summary>
    public string Algo { get; set; } = "her";
    public ulong Seed { get; set; }
    public long TotalTimesteps { get; set; } = 10_000;
    /// <summary>TorchSharp intra-op threads for this run.</summary>
    public int Threads { get; set; } = 1;
    /// <summary>Copies of the environment stepped in lockstep (Stable-Baselines3's <c>n_envs</c>).</summary>
    public int NEnvs { get; set; } = 1;
    /// <summary>Identifies the run in its logs; empty means derived from the folder name.</summary>
    public string RunId { get; set; } = "";

    public EnvConfig Env { get; set; } = new();
    public RelabelingConfig Her { get; set; } = new();
    public DdpgConfig Ddpg { get; set; } = new();
    /// <summary>TD3's own keys; read only when the algorithm's learner is TD3.</summary>
    public Td3Config Td3 { get; set; } = new();
    /// <summary>SAC's own keys; read only when the algorithm's learner is SAC.</summary>
    public SacConfig Sac { get; set; } = new();
    public EvalConfig Eval { get; set; } = new();
    public LogConfig Log { get; set; } = new();
    public CheckpointConfig Checkpoint { get; set; } = new();

    /// <summary>Where each key that was set came from, so checks made after loading can still name the file and line.</summary>
    internal Dictionary<string, ConfigOrigin> Origins { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>A deep copy (env options included), so one resolved config can seed several runs.</summary>
    public RunConfig Clone()
    {
        var copy = (RunConfig)MemberwiseClone();
        copy.Env = Env with
        {
            Options = new SortedDictionary<string, object?>(Env.Options, StringComparer.Ordinal),
            Assemblies = (string[])Env.Assemblies.Clone(),
            Command = (string[])Env.Command.Clone(),
        };
        copy.Her = Her with { };
        copy.Ddpg = Ddpg with { HiddenSizes = (int[])Ddpg.HiddenSizes.Clone() };
        copy.Td3 = Td3 with { };
        copy.Sac = Sac with { };
        copy.Eval = Eval with { };
        copy.Log = Log with { };
        copy.Checkpoint = Checkpoint with { };
        copy.Origins = new Dictionary<string, ConfigOrigin>(Origins, StringComparer.Ordinal);
        return copy;
    }

    /// <summary>The resolved config as YAML, every key written (the run folder's <c>config.yaml</c>).</summary>
    public string ToYaml() => ConfigSchema.ToYaml(this);

    /// <summary>A short hash of everything that shapes learning, the seed, run id and total_timesteps aside (a resume may extend the budget), so runs of one
    /// setting share it.</summary>
    public string ComputeHash() => ConfigSchema.Hash(this);
}

/// <summary>The <c>env:</c> section: an environment id and that environment's keyword options.</summary>
public sealed record EnvConfig
{
    public string Id { get; init; } = "PointGoal-v0";
    /// <summary>Full paths of the environment plug-ins to load before <see cref="Id"/> is looked up (<c>env.assembly</c>).</summary>
    public string[] Assemblies { get; init; } = [];
    /// <summary>With <c>env.id: process</c>, the command that starts the environment process (<c>env.command</c>).</summary>
    public string[] Command { get; init; } = [];
    /// <summary>How long one answer of an environment process may take (<c>env.process_timeout_seconds</c>).</summary>
    public double ProcessTimeoutSeconds { get; init; } = 60;
    /// <summary>The environment's own options (<c>env.n_bits</c>, ...), validated against the registry.</summary>
    public SortedDictionary<string, object?> Options { get; init; } = new(StringComparer.Ordinal);
}

/// <summary>The <c>her:</c> section: how stored transitions are relabeled.</summary>
public sealed record RelabelingConfig
{
    /// <summary>Virtual goals per real one (SB3's <c>n_sampled_goal</c>); the relabeled share is k/(k+1).</summary>
    public int NSampledGoal { get; set; } = 4;
    /// <summary>Relabeled share of a batch; when set it wins over <see cref="NSampledGoal"/>.</summary>
    public double? HerRatio { get; set; }
    public string GoalSelectionStrategy { get; set; } = "future";

    /// <summary>The share actually used.</summary>
    public double EffectiveRatio => HerRatio ?? NSampledGoal / (NSampledGoal + 1.0);
}

/// <summary>The <c>ddpg:</c> section: the learner and its schedule.</summary>
public sealed record DdpgConfig
{
    public int BufferSize { get; set; } = 1_000_000;
    public int LearningStarts { get; set; } = 1000;
    public int BatchSize { get; set; } = 256;
    public double Gamma { get; set; } = 0.98;
    public double Tau { get; set; } = 0.05;
    public double ActorLr { get; set; } = 1e-3;
    public double CriticLr { get; set; } = 1e-3;
    public int[] HiddenSizes { get; set; } = [256, 256];
    public string Activation { get; set; } = "relu";
    /// <summary><c>step</c>: train every <see cref="TrainFreq"/> units; <c>cycle</c>: the HER paper's cycles.</summary>
    public string Schedule { get; set; } = "step";
    public int TrainFreq { get; set; } = 1;
    /// <summary><c>step</c> or <c>episode</c>, as SB3's <c>train_freq=(n, unit)</c>.</summary>
    public string TrainFreqUnit { get; set; } = "step";
    /// <summary>Gradient steps per training round; -1 means as many as environment steps collected.</summary>
    public int GradientSteps { get; set; } = 1;
    public int NCycles { get; set; } = 10;
    public int EpisodesPerCycle { get; set; } = 2;
    public int NBatches { get; set; } = 40;
    public string ActionNoise { get; set; } = "gaussian";
    public double NoiseSigma { get; set; } = 0.1;
    public double RandomEps { get; set; }
    public double ActionL2 { get; set; }
    public bool ClipReturn { get; set; }
    public bool Normalize { get; set; }
    public bool RelativeGoals { get; set; }
    public double NormClip { get; set; } = 5.0;
}

/// <summary>The <c>td3:</c> section, under Stable-Baselines3's names.</summary>
public sealed record Td3Config
{
    public int PolicyDelay { get; set; } = 2;
    public double TargetPolicyNoise { get; set; } = 0.2;
    public double TargetNoiseClip { get; set; } = 0.5;
}

/// <summary>The <c>sac:</c> section, under Stable-Baselines3's names and forms.</summary>
public sealed record SacConfig
{
    /// <summary><c>auto</c>, <c>auto_&lt;start&gt;</c> or a fixed positive number.</summary>
    public string EntCoef { get; set; } = "auto";
    /// <summary><c>auto</c> (-dim(action)) or a number.</summary>
    public string TargetEntropy { get; set; } = "auto";

    /// <summary>Reads SB3's <c>ent_coef</c> forms: <c>auto</c> (tuned from 1), <c>auto_&lt;start&gt;</c> (tuned from start) or a positive
    /// number (fixed).</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static (bool Tuned, double Value) ParseEntCoef(string text)
    {
        string t = text.Trim();
        if (t == "auto") return (true, 1.0);
        if (t.StartsWith("auto_", StringComparison.Ordinal) && PositiveNumber(t["auto_".Length..]) is double start) return (true, start);
        if (PositiveNumber(t) is double value) return (false, value);
        throw new ArgumentException($"ent_coef must be 'auto', 'auto_<start>' (e.g. auto_0.1) or a positive number, got '{text}'");
    }

    /// <summary>Reads SB3's <c>target_entropy</c> forms: <c>auto</c> (null: -dim(action)) or a number.</summary>
    /// <exception cref="ArgumentException">Any other text.</exception>
    public static double? ParseTargetEntropy(string text)
    {
        string t = text.Trim();
        if (t == "auto") return null;
        if (Scalars.ScalarText.TryParseReal(t, out double value) && double.IsFinite(value)) return value;
        throw new ArgumentException($"target_entropy must be 'auto' or a number, got '{text}'");
    }

    // Numbers follow the one rule of config values (ScalarText).
    private static double? PositiveNumber(string text) =>
        Scalars.ScalarText.TryParseReal(text, out double value) && value > 0 && double.IsFinite(value) ? value : null;
}

/// <summary>The <c>eval:</c> section: the evaluation protocol of the spec.</summary>
public sealed record EvalConfig
{
    /// <summary>Evaluate every this many environment steps (0: at each epoch's end with the cycle schedule, otherwise only at the end).</summary>
    public long EvalFreq { get; set; } = 1000;
    public int NEvalEpisodes { get; set; } = 100;
    /// <summary>First reset seed of evaluation episodes, far from training seeds.</summary>
    public ulong EvalSeed { get; set; } = 1_000_000_007UL;
}

/// <summary>The <c>log:</c> section.</summary>
public sealed record LogConfig
{
    /// <summary>A <c>progress.csv</c> row every this many environment steps.</summary>
    public long LogInterval { get; set; } = 1000;
    /// <summary>Also write the CSV rows' scalars as TensorBoard event files beside them.</summary>
    public bool Tensorboard { get; set; }
}

/// <summary>The <c>checkpoint:</c> section.</summary>
public sealed record CheckpointConfig
{
    /// <summary>Save every this many environment steps (0: only at the end and on stop).</summary>
    public long CheckpointFreq { get; set; }
    public int KeepLast { get; set; } = 3;
    public bool KeepBest { get; set; } = true;
    public bool SaveReplayBuffer { get; set; } = true;
    public bool BestSaveReplayBuffer { get; set; }
}
