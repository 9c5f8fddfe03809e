using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HerTools.Core.Config;
using HerTools.Core.Randomness;
using HerTools.Core.Scalars;

namespace HerTools.Core.Sweeps;

/// <summary>
/// A validated sweep file: a base config (a preset or a config file), fixed overrides, a search space
/// (<c>grid:</c> and/or <c>random:</c>) crossed with <c>seeds:</c>, and how to run it. Read one with
/// <see cref="SweepLoader"/>; <see cref="Expand"/> turns it into runs, the same ones every time.
/// </summary>
public sealed record SweepDefinition
{
    /// <summary>The file the definition was read from (or the name given to <see cref="SweepLoader.LoadYaml"/>).</summary>
    public required string SourceName { get; init; }
    /// <summary>The shipped preset the runs start from; null when <see cref="ConfigPath"/> is set.</summary>
    public string? Preset { get; init; }
    /// <summary>Full path of the config file the runs start from; null when <see cref="Preset"/> is set.</summary>
    public string? ConfigPath { get; init; }
    /// <summary>The <c>set:</c> overrides every run gets, in the file's order.</summary>
    public IReadOnlyList<SweepOverride> Set { get; init; } = [];
    /// <summary>The <c>grid:</c> keys, in the file's order; every combination of their values is a point.</summary>
    public IReadOnlyList<SweepGridAxis> Grid { get; init; } = [];
    /// <summary>The <c>random:</c> search; null when the file has none.</summary>
    public SweepRandomSearch? Random { get; init; }
    /// <summary>The seeds every point runs with (the base config's seed when the file lists none).</summary>
    public IReadOnlyList<ulong> Seeds { get; init; } = [];
    public SweepBackend Backend { get; init; } = SweepBackend.Local;
    public LocalSweepOptions Local { get; init; } = new();
    public SlurmSweepOptions Slurm { get; init; } = new();
    /// <summary>The evaluation success rate whose first reaching <c>sweep.csv</c> reports as <c>steps_to_threshold</c>.</summary>
    public double SuccessThreshold { get; init; } = 0.9;
    /// <summary>The <c>search:</c> section: successive halving over the runs; null for a sweep that trains every run to its budget.</summary>
    public SweepSearchOptions? Search { get; init; }

    /// <summary>The searched keys: grid keys, then random keys, in the file's order. These are the override
    /// columns of <c>runs.csv</c> and <c>sweep.csv</c>.</summary>
    public IReadOnlyList<string> SearchKeys =>
        [.. Grid.Select(a => a.Key), .. (Random?.Parameters ?? []).Select(p => p.Key)];

    /// <summary>Number of runs <see cref="Expand"/> gives: grid points x random samples x seeds.</summary>
    public int RunCount => Grid.Aggregate(1, (n, a) => checked(n * a.Values.Count)) * (Random?.Samples ?? 1) * Seeds.Count;

    /// <summary>
    /// The runs, in a fixed order: grid points (the first key varies slowest, the last fastest), within each
    /// the random samples (drawn once, in order, from an <see cref="Rng"/> seeded with <see cref="SweepRandomSearch.Seed"/>,
    /// and crossed with every grid point), within each the seeds. The same definition always gives the same
    /// runs with the same ids.
    /// </summary>
    public IReadOnlyList<SweepRun> Expand()
    {
        var gridPoints = new List<IReadOnlyList<SweepOverride>> { Array.Empty<SweepOverride>() };
        foreach (var axis in Grid)
            gridPoints = [.. gridPoints.SelectMany(p => axis.Values.Select(v => (IReadOnlyList<SweepOverride>)[.. p, new SweepOverride(axis.Key, v)]))];

        var samples = new List<IReadOnlyList<SweepOverride>>();
        if (Random is null) samples.Add([]);
        else
        {
            var rng = new Rng(Random.Seed);
            for (int i = 0; i < Random.Samples; i++)
                samples.Add([.. Random.Parameters.Select(p => new SweepOverride(p.Key, p.Sample(rng)))]);
        }

        int count = RunCount;
        int width = Math.Max(3, (count - 1).ToString(CultureInfo.InvariantCulture).Length);
        var runs = new List<SweepRun>(count);
        foreach (var gridPoint in gridPoints)
            foreach (var sample in samples)
            {
                IReadOnlyList<SweepOverride> point = [.. gridPoint, .. sample];
                foreach (ulong seed in Seeds)
                {
                    int index = runs.Count;
                    runs.Add(new SweepRun(index, RunIdOf(index, width, point, seed), point, seed));
                }
            }
        return runs;
    }

    /// <summary>The overrides that turn the base config into <paramref name="run"/>'s, in the order they apply:
    /// <c>threads=1</c> (one TorchSharp thread a run, unless the sweep sets <c>threads</c>), <c>set:</c>, the run's point, its seed.</summary>
    public IReadOnlyList<string> RunOverrides(SweepRun run) =>
        ["threads=1", .. Set.Select(o => o.Text), .. run.Point.Select(o => o.Text), "seed=" + run.Seed.ToString(CultureInfo.InvariantCulture)];

    /// <summary>Loads the config of one run: the base with <see cref="RunOverrides"/> applied and validated.</summary>
    /// <exception cref="ConfigException">A value of the run is not valid for its key; names the override.</exception>
    public RunConfig LoadRunConfig(SweepRun run) => LoadBase(RunOverrides(run));

    /// <summary>Loads the config of one run trained to <paramref name="budget"/> (a search's rung): <see cref="RunOverrides"/>,
    /// then <c>total_timesteps</c>.</summary>
    public RunConfig LoadRunConfig(SweepRun run, long budget) =>
        LoadBase([.. RunOverrides(run), "total_timesteps=" + budget.ToString(CultureInfo.InvariantCulture)]);

    /// <summary>The base config with the given overrides.</summary>
    internal RunConfig LoadBase(IEnumerable<string> overrides) =>
        Preset is not null ? ConfigLoader.LoadPreset(Preset, overrides) : ConfigLoader.LoadFile(ConfigPath!, overrides);

    /// <summary>
    /// The definition as a sweep file, every choice written out (the random seed too), so that reading it back
    /// gives the same runs. <paramref name="configFileName"/> replaces the config path (a copy beside the file).
    /// </summary>
    public string ToYaml(string? configFileName = null)
    {
        var sb = new StringBuilder();
        sb.Append("# The resolved sweep: every setting written out. runs.csv lists its runs.\n");
        if (Preset is not null) sb.Append("preset: ").Append(Preset).Append('\n');
        else sb.Append("config: ").Append(Quote(configFileName ?? ConfigPath!)).Append('\n');
        if (Set.Count > 0)
        {
            sb.Append("set:\n");
            foreach (var o in Set) sb.Append("  ").Append(o.Key).Append(": ").Append(o.Value).Append('\n');
        }
        if (Grid.Count > 0)
        {
            sb.Append("grid:\n");
            foreach (var a in Grid) sb.Append("  ").Append(a.Key).Append(": [").Append(string.Join(", ", a.Values)).Append("]\n");
        }
        if (Random is not null)
        {
            sb.Append("random:\n  samples: ").Append(Random.Samples.ToString(CultureInfo.InvariantCulture)).Append('\n');
            sb.Append("  seed: ").Append(Random.Seed.ToString(CultureInfo.InvariantCulture)).Append('\n');
            foreach (var p in Random.Parameters) sb.Append("  ").Append(p.Key).Append(": ").Append(p.ToYaml()).Append('\n');
        }
        sb.Append("seeds: [").Append(string.Join(", ", Seeds.Select(s => s.ToString(CultureInfo.InvariantCulture)))).Append("]\n");
        sb.Append("backend: ").Append(Backend == SweepBackend.Slurm ? "slurm" : "local").Append('\n');
        if (Local.Throttle is int throttle) sb.Append("local:\n  throttle: ").Append(throttle.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("slurm:\n");
        if (Slurm.Partition is not null) sb.Append("  partition: ").Append(Quote(Slurm.Partition)).Append('\n');
        sb.Append("  cpus_per_task: ").Append(Slurm.CpusPerTask.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (Slurm.Mem is not null) sb.Append("  mem: ").Append(Quote(Slurm.Mem)).Append('\n');
        if (Slurm.Time is not null) sb.Append("  time: ").Append(Quote(Slurm.Time)).Append('\n');
        if (Slurm.MaxConcurrent is int max) sb.Append("  max_concurrent: ").Append(max.ToString(CultureInfo.InvariantCulture)).Append('\n');
        sb.Append("  signal_seconds: ").Append(Slurm.SignalSeconds.ToString(CultureInfo.InvariantCulture)).Append('\n');
        if (Slurm.SbatchArgs.Count > 0) sb.Append("  sbatch_args: [").Append(string.Join(", ", Slurm.SbatchArgs.Select(Quote))).Append("]\n");
        sb.Append("success_threshold: ").Append(SuccessThreshold.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        if (Search is not null) sb.Append(Search.ToYaml());
        return sb.ToString();
    }

    private const int MaxLabelLength = 80;

    /// <summary><c>r007-her_ratio=0.5-n_bits=20-seed=1</c>: the index keeps ids unique and sorted, the rest says what the run is.
    /// Keys appear by their last segment; long reals (random draws) are shortened to 4 digits (the run's overrides keep every digit).</summary>
    private static string RunIdOf(int index, int width, IReadOnlyList<SweepOverride> point, ulong seed)
    {
        var parts = point.Select(o => o.Key[(o.Key.LastIndexOf('.') + 1)..] + "=" + ShortValue(o.Value)).ToList();
        parts.Add("seed=" + seed.ToString(CultureInfo.InvariantCulture));
        string label = Sanitize(string.Join("-", parts));
        if (label.Length > MaxLabelLength)
        {
            string hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(label)))[..8];
            label = label[..(MaxLabelLength - 9)].TrimEnd('-', '_', '.') + "-" + hash;
        }
        return "r" + index.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0') + "-" + label;
    }

    private static string ShortValue(string value) =>
        value.Length > 8 && value.Contains('.') && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            ? d.ToString("G4", CultureInfo.InvariantCulture) : value;

    private static string Sanitize(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            bool keep = c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '=' or '-' or '+' or '_';
            char next = keep ? c : '_';
            if (next == '_' && sb.Length > 0 && sb[^1] == '_') continue;
            sb.Append(next);
        }
        return sb.ToString().Replace("_-", "-").Replace("=_", "=").Trim('_');
    }

    // Stricter than the config's formatter: only names and paths stay plain, since these land in flow lists and shell arguments.
    private static string Quote(string text) =>
        text.Length > 0 && text.All(c => char.IsLetterOrDigit(c) || c is '.' or '/' or '_' or '-' or '=') && !char.IsDigit(text[0]) && text[0] != '-'
            ? text : ScalarText.Quote(text);
}
