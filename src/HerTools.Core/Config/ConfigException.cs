namespace HerTools.Core.Config;

/// <summary>
/// A config the engine refuses before training starts. Carries what the user must see: the key, and where it
/// came from: a file and line, or the override text (<c>ddpg.batch_size=abc</c>).
/// </summary>
public sealed class ConfigException : HerToolsException
{
    public ConfigException(string problem, string? key = null, string? file = null, int? line = null, string? overrideText = null)
        : base(Format(problem, key, file, line, overrideText))
    {
        Problem = problem; Key = key; File = file; Line = line; Override = overrideText;
    }

    public string Problem { get; }
    public string? Key { get; }
    public string? File { get; }
    public int? Line { get; }
    public string? Override { get; }

    private static string Format(string problem, string? key, string? file, int? line, string? overrideText)
    {
        var where = new List<string>();
        if (overrideText is not null) where.Add($"override '{overrideText}'");
        else if (file is not null) where.Add(line is int l ? $"{file}:{l}" : file);
        string keyPart = key is null ? "" : $"key '{key}': ";
        return where.Count == 0 ? $"{keyPart}{problem}" : $"{where[0]}: {keyPart}{problem}";
    }
}
