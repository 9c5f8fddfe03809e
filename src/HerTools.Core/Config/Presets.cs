namespace HerTools.Core.Config;

/// <summary>The presets shipped inside the engine assembly (copies of <c>configs/her/*.yaml</c>).</summary>
public static class Presets
{
    private static readonly Lazy<IReadOnlyList<PresetInfo>> All = new(ReadAll);

    public static IReadOnlyList<PresetInfo> List() => All.Value;

    public static PresetInfo? Find(string name) =>
        All.Value.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    private static IReadOnlyList<PresetInfo> ReadAll()
    {
        var assembly = ConfigLoader.PresetAssembly;
        var presets = new List<PresetInfo>();
        foreach (string resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ConfigLoader.PresetPrefix,
            StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            string yaml = reader.ReadToEnd();
            string name = resource[ConfigLoader.PresetPrefix.Length..^".yaml".Length];
            // The description is the file's first comment line.
            string description = yaml.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('#'))?.TrimStart('#').Trim() ?? "";
            presets.Add(new PresetInfo(name, description, yaml));
        }
        return presets;
    }
}

/// <summary>A shipped preset: its name, one-line description and YAML text.</summary>
public sealed record PresetInfo(string Name, string Description, string Yaml);
