using System.Reflection;
using HerTools.Core.Scalars;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HerTools.Core.Config;

/// <summary>
/// Reads run configs from YAML files or shipped presets and applies dotted-key overrides
/// (<c>ddpg.batch_size=128</c>). Keys absent from the file keep their defaults. Every problem is a
/// <see cref="ConfigException"/> naming the key and the file and line (or the override) before anything runs.
/// </summary>
public static class ConfigLoader
{
    private const string PresetResourcePrefix = "HerTools.Presets.";

    /// <summary>Loads a YAML file, then applies the overrides in order.</summary>
    public static RunConfig LoadFile(string path, IEnumerable<string>? overrides = null)
    {
        if (!System.IO.File.Exists(path)) throw new ConfigException("config file not found", file: path);
        string text;
        try { text = System.IO.File.ReadAllText(path); }
        catch (IOException e) { throw new ConfigException($"cannot read config file: {e.Message}", file: path); }
        // An empty file would train silently with every default, which is never what was meant.
        if (Parse(text, path) is null)
            throw new ConfigException("the config file is empty; give at least one key (or start from a preset: --preset NAME)", file: path);
        return LoadYaml(text, path, overrides);
    }

    /// <summary>Loads a shipped preset (<c>point_goal</c>, <c>bitflip</c>), then applies the overrides.</summary>
    public static RunConfig LoadPreset(string name, IEnumerable<string>? overrides = null)
    {
        var preset = Presets.Find(name) ?? throw new ConfigException(
            $"unknown preset '{name}'; shipped presets: {string.Join(", ", Presets.List().Select(p => p.Name))}", key: "preset");
        return LoadYaml(preset.Yaml, $"preset:{preset.Name}", overrides);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> is the file name errors cite.</summary>
    public static RunConfig LoadYaml(string yaml, string sourceName, IEnumerable<string>? overrides = null)
    {
        var config = new RunConfig();
        var root = Parse(yaml, sourceName);
        if (root is not null) ApplyMapping(config, root, prefix: "", sourceName);
        foreach (string text in overrides ?? []) ApplyOverride(config, text);
        ConfigValidator.Validate(config, sourceName);
        return config;
    }

    /// <summary>Applies one <c>dotted.key=value</c> override; the value is read as YAML (<c>[64, 64]</c>, <c>true</c>, <c>0.5</c>).</summary>
    public static void ApplyOverride(RunConfig config, string text)
    {
        int eq = text.IndexOf('=');
        if (eq <= 0) throw new ConfigException("expected 'dotted.key=value'", overrideText: text);
        string path = text[..eq].Trim();
        string valueText = text[(eq + 1)..].Trim();
        // Read as the value of a one-key document, so "[64, 64]" and "'text'" mean what they mean in a file.
        YamlNode? root;
        try { root = YamlReader.LoadRoot("v: " + (valueText.Length == 0 ? "''" : valueText), "override", overrideText: text); }
        catch (ConfigException e) { throw new ConfigException($"value is {e.Problem}", key: path, overrideText: text); }
        if (root is not YamlMappingNode { Children.Count: 1 } map || !map.Children.TryGetValue(new YamlScalarNode("v"), out var valueNode))
            throw new ConfigException("expected one value after '='", key: path, overrideText: text);
        SetValue(config, path, valueNode, source: null, overrideText: text);
    }

    /// <summary>
    /// The config text with the relative paths of <c>env.assembly</c> made absolute against <paramref name="baseDirectory"/>
    /// (the folder of the file it came from), for a copy kept elsewhere (a sweep's <c>base.yaml</c>). A text without
    /// relative paths comes back unchanged; one with them is rewritten (its comments are not kept).
    /// </summary>
    public static string WithAbsolutePaths(string yaml, string baseDirectory)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(yaml)); }
        catch (YamlException) { return yaml; } // not ours to report here: loading the copy names the problem
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root) return yaml;
        if (!root.Children.TryGetValue(new YamlScalarNode("env"), out var env) || env is not YamlMappingNode envSection) return yaml;
        if (!envSection.Children.TryGetValue(new YamlScalarNode("assembly"), out var assembly)) return yaml;
        var scalars = assembly switch
        {
            YamlScalarNode one => [one],
            YamlSequenceNode many => many.Children.OfType<YamlScalarNode>().ToList(),
            _ => new List<YamlScalarNode>(),
        };
        bool changed = false;
        foreach (var scalar in scalars)
        {
            if (string.IsNullOrWhiteSpace(scalar.Value) || Path.IsPathRooted(scalar.Value.Trim())) continue;
            scalar.Value = Path.GetFullPath(scalar.Value.Trim(), baseDirectory);
            changed = true;
        }
        if (!changed) return yaml;
        var text = new StringWriter();
        stream.Save(text, assignAnchors: false);
        return text.ToString().Replace("\r\n", "\n").TrimEnd('.', '\n', ' ') + "\n";
    }

    private static YamlMappingNode? Parse(string yaml, string sourceName) => YamlReader.LoadRoot(yaml, sourceName) switch
    {
        YamlMappingNode map => map,
        null or YamlScalarNode { Value: null or "" } => null,
        var other => throw new ConfigException("the top level must be a mapping of keys", file: sourceName, line: (int)other.Start.Line),
    };

    private static void ApplyMapping(RunConfig config, YamlMappingNode map, string prefix, string sourceName)
    {
        foreach (var (keyNode, valueNode) in map.Children)
        {
            string name = keyNode is YamlScalarNode { Value: { } plain } ? plain
                : throw new ConfigException("a key must be a plain name", file: sourceName, line: Line(keyNode));
            string path = prefix + name;
            if (prefix.Length == 0 && ConfigSchema.Sections.Contains(name))
            {
                if (valueNode is YamlMappingNode section) { ApplyMapping(config, section, name + ".", sourceName); continue; }
                if (valueNode is YamlScalarNode { Value: null or "" }) continue;
                throw new ConfigException("a section must be a mapping of keys", key: path, file: sourceName, line: Line(keyNode));
            }
            SetValue(config, path, valueNode, (sourceName, Line(keyNode)), overrideText: null);
        }
    }

    private static void SetValue(RunConfig config, string path, YamlNode valueNode, (string File, int Line)? source, string? overrideText)
    {
        ConfigException Error(string problem) => new(problem, key: path, file: source?.File, line: source?.Line, overrideText: overrideText);

        var key = ConfigSchema.Find(path);
        if (key is null)
        {
            if (path.StartsWith("env.", StringComparison.Ordinal) && path.IndexOf('.', 4) < 0)
            {
                // An environment's own option; checked against the registry once the id is known.
                if (valueNode is not YamlScalarNode optionScalar) throw Error("an environment option must be a single value");
                config.Env.Options[path[4..]] = ScalarToObject(optionScalar);
                ConfigValidator.RememberOrigin(config, path, source, overrideText);
                return;
            }
            throw Error(UnknownKeyProblem(path));
        }
        string? scalar = null;
        List<string>? list = null;
        switch (valueNode)
        {
            case YamlScalarNode s: scalar = s.Value; break;
            case YamlSequenceNode seq when seq.Children.All(c => c is YamlScalarNode):
                list = seq.Children.Select(c => ((YamlScalarNode)c).Value ?? "").ToList(); break;
            default: throw Error($"expected {key.TypeName}, got a mapping");
        }
        string? problem = key.TrySet(config, scalar, list, BaseDirectory(source?.File));
        if (problem is not null) throw Error(problem);
        ConfigValidator.RememberOrigin(config, path, source, overrideText);
    }

    // Paths in a config file are relative to that file; in an override or a text that is no file, to the current directory.
    private static string? BaseDirectory(string? file) =>
        file is not null && System.IO.File.Exists(file) ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;

    private static string UnknownKeyProblem(string path)
    {
        string? near = Spelling.Nearest(ConfigSchema.Keys.Select(k => k.Path), path);
        return near is null ? "unknown key" : $"unknown key (did you mean '{near}'?)";
    }

    /// <summary>Plain YAML scalars become bool, long or double when they read as one (<see cref="ScalarText.ToValue"/>); quoted ones stay strings.</summary>
    private static object? ScalarToObject(YamlScalarNode node) =>
        node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted ? node.Value : ScalarText.ToValue(node.Value);

    private static int Line(YamlNode node) => (int)node.Start.Line;

    internal static Assembly PresetAssembly => typeof(ConfigLoader).Assembly;
    internal static string PresetPrefix => PresetResourcePrefix;
}
