using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HerTools.Core.Config;
using HerTools.Core.Envs;
using HerTools.Core.Scalars;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Reads sweep files (schema in <c>docs/sweeps.md</c>). Every problem of the file itself (an unknown key, a
/// value of the wrong type or out of range, a <c>set:</c> override the base config refuses) is a
/// <see cref="ConfigException"/> naming the key, the file and the line, raised before anything runs.
/// A grid or random value that only some runs get is checked when those runs' configs are loaded
/// (<see cref="SweepDefinition.LoadRunConfig(SweepRun)"/>): such a run fails, the others go on.
/// </summary>
public static partial class SweepLoader
{
    private static readonly string[] TopKeys =
        ["preset", "config", "set", "grid", "random", "seeds", "backend", "local", "slurm", "success_threshold", "search"];
    private static readonly string[] LocalKeys = ["throttle"];
    private static readonly string[] SlurmKeys = ["partition", "cpus_per_task", "mem", "time", "max_concurrent", "signal_seconds", "sbatch_args"];
    private static readonly string[] DistributionKeys = ["choice", "uniform", "loguniform", "int"];

    // Slurm's --time forms: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS, or UNLIMITED.
    private static readonly Regex SlurmTime = new(
        @"^(\d+|\d+:\d{1,2}|\d+:\d{1,2}:\d{1,2}|\d+-\d+|\d+-\d+:\d{1,2}|\d+-\d+:\d{1,2}:\d{1,2}|UNLIMITED|INFINITE)$", RegexOptions.CultureInvariant);
    private static readonly Regex SlurmMem = new(@"^\d+[KMGT]?$", RegexOptions.CultureInvariant);

    /// <summary>Reads a sweep file; a <c>config:</c> path in it is relative to the file's folder.</summary>
    public static SweepDefinition LoadFile(string path)
    {
        if (!File.Exists(path)) throw new ConfigException("sweep file not found", file: path);
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new ConfigException($"cannot read sweep file: {e.Message}", file: path); }
        return LoadYaml(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses sweep YAML; <paramref name="sourceName"/> is the file errors cite and
    /// <paramref name="baseDirectory"/> the folder a <c>config:</c> path is relative to.</summary>
    public static SweepDefinition LoadYaml(string yaml, string sourceName, string baseDirectory)
    {
        var reader = new Reader(sourceName);
        var root = reader.ParseRoot(yaml);
        return reader.Read(root, yaml, baseDirectory);
    }

    /// <summary>Reads one file; holds the file name every error cites.</summary>
    private sealed partial class Reader(string file)
    {
        private ConfigException Error(string problem, string? key, YamlNode? at) =>
            new(problem, key: key, file: file, line: at is null ? null : (int)at.Start.Line);

        public YamlMappingNode ParseRoot(string yaml)
        {
            var root = YamlReader.LoadRoot(yaml, file)
                ?? throw new ConfigException("the sweep file is empty: it needs at least 'preset:' or 'config:'", file: file);
            return root as YamlMappingNode ?? throw Error("the top level must be a mapping of keys", null, root);
        }

        public SweepDefinition Read(YamlMappingNode root, string yaml, string baseDirectory)
        {
            var entries = Entries(root, "", TopKeys);

            // The base config.
            string? preset = null, configPath = null;
            if (entries.TryGetValue("preset", out var presetEntry))
            {
                preset = Scalar(presetEntry, "preset");
                if (Presets.Find(preset) is not { } found)
                    throw Error($"unknown preset '{preset}'; shipped presets: {string.Join(", ", Presets.List().Select(p => p.Name))}", "preset",
                        presetEntry.Value);
                preset = found.Name;
            }
            if (entries.TryGetValue("config", out var configEntry))
            {
                if (preset is not null) throw Error("give either 'preset:' or 'config:', not both", "config", configEntry.Key);
                string relative = Scalar(configEntry, "config");
                configPath = Path.GetFullPath(Path.Combine(baseDirectory, relative));
                if (!File.Exists(configPath)) throw Error($"config file not found: {configPath}", "config", configEntry.Value);
            }
            if (preset is null && configPath is null)
                throw new ConfigException("the sweep needs a base: 'preset: NAME' or 'config: PATH'", file: file);

            // The search space and fixed overrides; a key may appear in one place only.
            var used = new Dictionary<string, string>(StringComparer.Ordinal);
            var set = new List<(SweepOverride Override, YamlNode KeyNode)>();
            if (entries.TryGetValue("set", out var setEntry))
                foreach (var (keyNode, valueNode) in Mapping(setEntry, "set").Children)
                {
                    string key = ConfigKeyName(keyNode, "set", used);
                    set.Add((new SweepOverride(key, ValueText(valueNode, "set." + key)), keyNode));
                }

            var grid = new List<SweepGridAxis>();
            if (entries.TryGetValue("grid", out var gridEntry))
                foreach (var (keyNode, valueNode) in Mapping(gridEntry, "grid").Children)
                {
                    string key = ConfigKeyName(keyNode, "grid", used);
                    if (valueNode is not YamlSequenceNode { Children.Count: > 0 } seq)
                        throw Error("expected a non-empty list of values, e.g. [0.0, 0.5, 1.0]", "grid." + key, valueNode);
                    var values = seq.Children.Select(v => ValueText(v, "grid." + key)).ToList();
                    CheckDistinct(values, "grid." + key, seq);
                    grid.Add(new SweepGridAxis(key, values));
                }

            SweepRandomSearch? random = null;
            if (entries.TryGetValue("random", out var randomEntry))
                random = ReadRandom(randomEntry, used, yaml);

            var baseConfig = LoadBaseAndSet(preset, configPath, set);

            // Environment options: checked against the base environment unless the sweep changes env.id.
            if (!used.ContainsKey("env.id") && EnvRegistry.List().FirstOrDefault(s => s.Id == baseConfig.Env.Id) is { } env)
            {
                foreach (var axisKey in grid.Select(a => a.Key).Concat(random?.Parameters.Select(p => p.Key) ?? []))
                    if (IsEnvOption(axisKey) && env.FindOption(axisKey[4..]) is null)
                        throw Error($"{env.Id} has no option '{axisKey[4..]}'", axisKey, KeyNodeOf(root, axisKey));
            }

            var seeds = new List<ulong>();
            if (entries.TryGetValue("seeds", out var seedsEntry))
            {
                if (seedsEntry.Value is not YamlSequenceNode { Children.Count: > 0 } seedList)
                    throw Error("expected a non-empty list of seeds, e.g. [0, 1, 2]", "seeds", seedsEntry.Value);
                foreach (var item in seedList.Children)
                {
                    ulong seed = ParseULong(item, "seeds");
                    if (seeds.Contains(seed)) throw Error($"seed {seed} appears twice", "seeds", item);
                    seeds.Add(seed);
                }
            }
            else seeds.Add(baseConfig.Seed);

            var backend = SweepBackend.Local;
            if (entries.TryGetValue("backend", out var backendEntry))
                backend = Scalar(backendEntry, "backend") switch
                {
                    "local" => SweepBackend.Local,
                    "slurm" => SweepBackend.Slurm,
                    var other => throw Error($"expected one of local, slurm, got '{other}'", "backend", backendEntry.Value),
                };

            var local = new LocalSweepOptions();
            if (entries.TryGetValue("local", out var localEntry))
            {
                var localEntries = Entries(Mapping(localEntry, "local"), "local.", LocalKeys);
                if (localEntries.TryGetValue("throttle", out var t)) local = new LocalSweepOptions(ParseInt(t.Value, "local.throttle", 1, 4096));
            }

            var slurm = entries.TryGetValue("slurm", out var slurmEntry) ? ReadSlurm(slurmEntry) : new SlurmSweepOptions();

            double threshold = 0.9;
            if (entries.TryGetValue("success_threshold", out var thresholdEntry))
                threshold = ParseDouble(thresholdEntry.Value, "success_threshold", 0, 1);

            var search = entries.TryGetValue("search", out var searchEntry) ? ReadSearch(searchEntry, used, baseConfig) : null;

            var definition = new SweepDefinition
            {
                SourceName = file,
                Preset = preset,
                ConfigPath = configPath,
                Set = set.Select(s => s.Override).ToList(),
                Grid = grid,
                Random = random,
                Seeds = seeds,
                Backend = backend,
                Local = local,
                Slurm = slurm,
                SuccessThreshold = threshold,
                Search = search,
            };
            // Checked: a grid of a few long axes overflows 64 bits, and a wrapped count would pass the limit.
            long runs;
            try { runs = checked(grid.Aggregate(1L, (n, a) => checked(n * a.Values.Count)) * (random?.Samples ?? 1) * seeds.Count); }
            catch (OverflowException) { runs = long.MaxValue; }
            if (runs > 100_000)
                throw new ConfigException(
                    $"the sweep expands to {(runs == long.MaxValue ? "more than 2^63" : runs.ToString(CultureInfo.InvariantCulture))} runs; " +
                    "at most 100000 are supported", file: file);
            return definition;
        }

        /// <summary>Loads the base with <c>set:</c> applied: a value the base refuses is the sweep file's error, at its line.</summary>
        private RunConfig LoadBaseAndSet(string? preset, string? configPath, List<(SweepOverride Override, YamlNode KeyNode)> set)
        {
            var overrides = new List<string> { "threads=1" };
            overrides.AddRange(set.Select(s => s.Override.Text));
            try
            {
                return preset is not null ? ConfigLoader.LoadPreset(preset, overrides) : ConfigLoader.LoadFile(configPath!, overrides);
            }
            catch (ConfigException e) when (e.Override is not null)
            {
                var culprit = set.FirstOrDefault(s => s.Override.Text == e.Override);
                if (culprit.KeyNode is null) throw;
                throw new ConfigException(e.Problem, key: e.Key ?? culprit.Override.Key, file: file, line: (int)culprit.KeyNode.Start.Line);
            }
        }

        private SweepRandomSearch ReadRandom(KeyValuePair<YamlNode, YamlNode> entry, Dictionary<string, string> used, string yaml)
        {
            var map = Mapping(entry, "random");
            int? samples = null;
            ulong? seed = null;
            var parameters = new List<SweepParameter>();
            foreach (var (keyNode, valueNode) in map.Children)
            {
                string name = KeyName(keyNode);
                if (name == "samples") { samples = ParseInt(valueNode, "random.samples", 1, 100_000); continue; }
                if (name == "seed") { seed = ParseULong(valueNode, "random.seed"); continue; }
                string key = ConfigKeyName(keyNode, "random", used);
                parameters.Add(ReadDistribution(key, valueNode));
            }
            if (samples is null) throw Error("'random:' needs 'samples: N'", "random.samples", entry.Key);
            if (parameters.Count == 0) throw Error("'random:' needs at least one key with a distribution, e.g. ddpg.actor_lr: {loguniform: [1e-4, 1e-2]}",
                "random", entry.Key);
            // Without an explicit seed the draws follow from the file's text: the same file gives the same runs.
            seed ??= BinaryPrimitives.ReadUInt64LittleEndian(SHA256.HashData(Encoding.UTF8.GetBytes(yaml)));
            return new SweepRandomSearch(samples.Value, seed.Value, parameters);
        }

        private SweepParameter ReadDistribution(string key, YamlNode node)
        {
            string path = "random." + key;
            if (node is not YamlMappingNode { Children.Count: 1 } map)
                throw Error("expected one distribution: {choice: [..]}, {uniform: [lo, hi]}, {loguniform: [lo, hi]} or {int: [lo, hi]}", path, node);
            var (kindNode, argsNode) = map.Children.First();
            string kind = KeyName(kindNode);
            if (!DistributionKeys.Contains(kind))
                throw Error($"unknown distribution '{kind}'; expected one of {string.Join(", ", DistributionKeys)}", path, kindNode);
            if (argsNode is not YamlSequenceNode args)
                throw Error($"'{kind}' expects a list", path, argsNode);
            if (kind == "choice")
            {
                if (args.Children.Count == 0) throw Error("'choice' needs at least one value", path, argsNode);
                var values = args.Children.Select(v => ValueText(v, path)).ToList();
                CheckDistinct(values, path, args);
                return new SweepParameter(key, SweepDistribution.Choice, values, 0, 0);
            }
            if (args.Children.Count != 2) throw Error($"'{kind}' expects [lo, hi]", path, argsNode);
            if (kind == "int")
            {
                long lo = ParseLong(args.Children[0], path), hi = ParseLong(args.Children[1], path);
                if (lo > hi) throw Error($"'int' needs lo <= hi, got [{lo}, {hi}]", path, argsNode);
                if (hi - lo >= int.MaxValue || Math.Abs(lo) > 1L << 53 || Math.Abs(hi) > 1L << 53)
                    throw Error("'int' bounds must be within ±2^53 and at most 2^31 - 1 apart", path, argsNode);
                return new SweepParameter(key, SweepDistribution.Int, [], lo, hi);
            }
            double low = ParseDouble(args.Children[0], path, double.MinValue, double.MaxValue);
            double high = ParseDouble(args.Children[1], path, double.MinValue, double.MaxValue);
            if (!(low < high)) throw Error($"'{kind}' needs lo < hi, got [{Format(low)}, {Format(high)}]", path, argsNode);
            if (kind == "loguniform" && low <= 0) throw Error($"'loguniform' needs 0 < lo, got {Format(low)}", path, argsNode);
            return new SweepParameter(key, kind == "uniform" ? SweepDistribution.Uniform : SweepDistribution.LogUniform, [], low, high);
        }

        private SlurmSweepOptions ReadSlurm(KeyValuePair<YamlNode, YamlNode> entry)
        {
            var e = Entries(Mapping(entry, "slurm"), "slurm.", SlurmKeys);
            var options = new SlurmSweepOptions();
            if (e.TryGetValue("partition", out var partition)) options = options with { Partition = Scalar(partition, "slurm.partition") };
            if (e.TryGetValue("cpus_per_task", out var cpus)) options = options with { CpusPerTask = ParseInt(cpus.Value, "slurm.cpus_per_task", 1, 1024) };
            if (e.TryGetValue("mem", out var mem))
            {
                string text = Scalar(mem, "slurm.mem");
                if (!SlurmMem.IsMatch(text)) throw Error($"expected a size like 2G, 500M or 4096, got '{text}'", "slurm.mem", mem.Value);
                options = options with { Mem = text };
            }
            if (e.TryGetValue("time", out var time))
            {
                string text = Scalar(time, "slurm.time");
                if (!SlurmTime.IsMatch(text)) throw Error($"expected a Slurm time like 30, 01:30:00 or 1-00:00:00, got '{text}'", "slurm.time", time.Value);
                options = options with { Time = text };
            }
            if (e.TryGetValue("max_concurrent", out var max))
                options = options with { MaxConcurrent = ParseInt(max.Value, "slurm.max_concurrent", 1, 100_000) };
            if (e.TryGetValue("signal_seconds", out var signal))
                options = options with { SignalSeconds = ParseInt(signal.Value, "slurm.signal_seconds", 0, 65535) };
            if (e.TryGetValue("sbatch_args", out var args))
            {
                if (args.Value is not YamlSequenceNode list || list.Children.Any(c => c is not YamlScalarNode))
                    throw Error("expected a list of arguments, e.g. ['--qos=short', '--account=lab']", "slurm.sbatch_args", args.Value);
                var values = list.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList();
                foreach (var (value, node) in values.Zip(list.Children))
                    if (!value.StartsWith('-') || value.StartsWith("--array", StringComparison.Ordinal)
                        || value.StartsWith("--parsable", StringComparison.Ordinal))
                        throw Error($"'{value}': each item must be one sbatch option starting with '-' (the sweep sets --array itself)", "slurm.sbatch_args",
                            node);
                options = options with { SbatchArgs = values };
            }
            return options;
        }

        /// <summary>The entries of a mapping by name, refusing names not in <paramref name="allowed"/> and repeats.</summary>
        private Dictionary<string, KeyValuePair<YamlNode, YamlNode>> Entries(YamlMappingNode map, string prefix, string[] allowed)
        {
            var result = new Dictionary<string, KeyValuePair<YamlNode, YamlNode>>(StringComparer.Ordinal);
            foreach (var pair in map.Children)
            {
                string name = KeyName(pair.Key);
                if (!allowed.Contains(name))
                {
                    string? near = Spelling.Nearest(allowed, name);
                    throw Error(near is null ? $"unknown key; expected one of {string.Join(", ", allowed)}" : $"unknown key (did you mean '{prefix}{near}'?)",
                        prefix + name, pair.Key);
                }
                result[name] = pair;
            }
            return result;
        }

        private YamlMappingNode Mapping(KeyValuePair<YamlNode, YamlNode> entry, string key) => entry.Value switch
        {
            YamlMappingNode map => map,
            YamlScalarNode { Value: null or "" } => new YamlMappingNode(),
            _ => throw Error("expected a mapping of keys", key, entry.Value),
        };

        private string KeyName(YamlNode keyNode) =>
            keyNode is YamlScalarNode { Value: { } name } ? name : throw Error("a key must be a plain name", null, keyNode);

        /// <summary>A dotted config key of set/grid/random: known to the schema (or an environment option), and used once.</summary>
        private string ConfigKeyName(YamlNode keyNode, string section, Dictionary<string, string> used)
        {
            string key = KeyName(keyNode);
            string path = section + "." + key;
            if (key is "seed") throw Error("the seeds of a sweep are listed in 'seeds:'", path, keyNode);
            if (key is "run_id") throw Error("each run of a sweep gets its own id", path, keyNode);
            if (ConfigSchema.Find(key) is null && !IsEnvOption(key))
            {
                string? near = Spelling.Nearest(ConfigSchema.Keys.Select(k => k.Path), key);
                throw Error(near is null ? "unknown config key" : $"unknown config key (did you mean '{near}'?)", path, keyNode);
            }
            if (used.TryGetValue(key, out string? where))
                throw Error($"'{key}' is already in {where}; a key is either set, on the grid or drawn at random", path, keyNode);
            used[key] = $"{section} (line {keyNode.Start.Line})";
            return key;
        }

        private static bool IsEnvOption(string key) => key.StartsWith("env.", StringComparison.Ordinal) && key.Length > 4 && key.IndexOf('.', 4) < 0
            && key != "env.id";

        /// <summary>A value as YAML text: a scalar, or a flat list of scalars (<c>[64, 64]</c>).</summary>
        private string ValueText(YamlNode node, string key) => node switch
        {
            YamlScalarNode s => ScalarYaml(s),
            YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode) =>
                "[" + string.Join(", ", seq.Children.Select(c => ScalarYaml((YamlScalarNode)c))) + "]",
            _ => throw Error("expected a value or a list of values", key, node),
        };

        private static string ScalarYaml(YamlScalarNode s)
        {
            string v = s.Value ?? "";
            bool quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
            if (!quoted && v.Length == 0) return "null";
            // Quoted stays quoted (a string for environment options); plain text that would not survive a flow list is quoted.
            if (quoted || v.IndexOfAny([',', '[', ']', '{', '}', '#', ':', '\'', '"']) >= 0 || char.IsWhiteSpace(v[0]) || char.IsWhiteSpace(v[^1]))
                return ScalarText.Quote(v);
            return v;
        }

        private void CheckDistinct(List<string> values, string key, YamlSequenceNode seq)
        {
            for (int i = 0; i < values.Count; i++)
                if (values.IndexOf(values[i]) < i) throw Error($"value {values[i]} appears twice", key, seq.Children[i]);
        }

        private string Scalar(KeyValuePair<YamlNode, YamlNode> entry, string key) =>
            entry.Value is YamlScalarNode { Value: { Length: > 0 } v } ? v : throw Error("expected a single value", key, entry.Value);

        private int ParseInt(YamlNode node, string key, int min, int max)
        {
            if (node is YamlScalarNode { Value: { } v } && ScalarText.TryParseInteger(v, out int i))
                return i >= min && i <= max ? i : throw Error($"must be in [{min}, {max}], got {i}", key, node);
            throw Error($"expected int, got '{(node as YamlScalarNode)?.Value ?? "a list or mapping"}'", key, node);
        }

        private long ParseLong(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { } v } && ScalarText.TryParseInteger(v, out long l)
                ? l : throw Error($"expected an integer, got '{(node as YamlScalarNode)?.Value ?? "a list or mapping"}'", key, node);

        private ulong ParseULong(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { } v } && ScalarText.TryParseInteger(v, out ulong u)
                ? u : throw Error($"expected a non-negative integer, got '{(node as YamlScalarNode)?.Value ?? "a list or mapping"}'", key, node);

        private double ParseDouble(YamlNode node, string key, double min, double max)
        {
            if (node is YamlScalarNode { Value: { } v } && ScalarText.TryParseReal(v, out double d))
                return d >= min && d <= max ? d : throw Error($"must be in [{Format(min)}, {Format(max)}], got {Format(d)}", key, node);
            throw Error($"expected a number, got '{(node as YamlScalarNode)?.Value ?? "a list or mapping"}'", key, node);
        }

        private static YamlNode? KeyNodeOf(YamlMappingNode root, string key)
        {
            foreach (string section in new[] { "grid", "random" })
                if (root.Children.TryGetValue(new YamlScalarNode(section), out var node) && node is YamlMappingNode map)
                    foreach (var k in map.Children.Keys)
                        if (k is YamlScalarNode { Value: { } name } && name == key) return k;
            return null;
        }

        private static string Format(double d) => ScalarText.Format(d);
    }
}
