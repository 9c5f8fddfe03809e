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
    public static HerConfig LoadFile(string path, IEnumerable<string>? overrides = null)
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
    public static HerConfig LoadPreset(string name, IEnumerable<string>? overrides = null)
    {
        var preset = Presets.Find(name) ?? throw new ConfigException(
            $"unknown preset '{name}'; shipped presets: {string.Join(", ", Presets.List().Select(p => p.Name))}", key: "preset");
        return LoadYaml(preset.Yaml, $"preset:{preset.Name}", overrides);
    }

    /// <summary>Parses YAML text; <paramref name="sourceName"/> is the file name errors cite.</summary>
    public static HerConfig LoadYaml(string yaml, string sourceName, IEnumerable<string>? overrides = null)
    {
        var config = new HerConfig();
        var root = Parse(yaml, sourceName);
        if (root is not null) ApplyMapping(config, root, prefix: "", sourceName);
        foreach (string text in overrides ?? []) ApplyOverride(config, text);
        ConfigValidator.Validate(config, sourceName);
        return config;
    }

    /// <summary>Applies one <c>dotted.key=value</c> override; the value is read as YAML (<c>[64, 64]</c>, <c>true</c>, <c>0.5</c>).</summary>
    public static void ApplyOverride(HerConfig config, string text)
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

    private static YamlMappingNode? Parse(string yaml, string sourceName) => YamlReader.LoadRoot(yaml, sourceName) switch
    {
        YamlMappingNode map => map,
        null or YamlScalarNode { Value: null or "" } => null,
        var other => throw new ConfigException("the top level must be a mapping of keys", file: sourceName, line: (int)other.Start.Line),
    };

    private static void ApplyMapping(HerConfig config, YamlMappingNode map, string prefix, string sourceName)
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

    private static void SetValue(HerConfig config, string path, YamlNode valueNode, (string File, int Line)? source, string? overrideText)
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
        string? problem = key.TrySet(config, scalar, list);
        if (problem is not null) throw Error(problem);
        ConfigValidator.RememberOrigin(config, path, source, overrideText);
    }

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
