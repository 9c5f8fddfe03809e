using HerTools.Core.Scalars;

namespace HerTools.Core.Config;

/// <summary>
/// One documented config key: its dotted path, type, default and meaning, how to read and write it on a
/// <see cref="RunConfig"/>, and the range it must fall in. <see cref="ConfigSchema"/> lists them all.
/// </summary>
public sealed class ConfigKey
{
    private readonly Func<RunConfig, object?> _get;
    private readonly Action<RunConfig, object?> _set;
    private readonly Func<object?, string?> _check;

    internal ConfigKey(string path, ConfigValueKind kind, string description, Func<RunConfig, object?> get, Action<RunConfig, object?> set,
        Func<object?, string?>? check = null, string[]? choices = null, bool nullable = false, bool omitAtDefault = false)
    {
        Path = path; Kind = kind; Description = description; _get = get; _set = set;
        _check = check ?? (_ => null); Choices = choices; Nullable = nullable; OmitAtDefault = omitAtDefault;
    }

    public string Path { get; }
    public ConfigValueKind Kind { get; }
    public string Description { get; }
    public string[]? Choices { get; }
    public bool Nullable { get; }
    /// <summary>Written in <c>config.yaml</c> (and hashed) only when it differs from <see cref="Default"/>: configs from before the key
    /// existed keep their text and hash.</summary>
    public bool OmitAtDefault { get; }

    /// <summary>The default, read from a fresh <see cref="RunConfig"/> so the schema and the class cannot disagree.</summary>
    public object? Default => _get(new RunConfig());

    public string TypeName => Kind switch
    {
        ConfigValueKind.Choice => "one of " + string.Join(", ", Choices!),
        ConfigValueKind.IntList => "list of int",
        ConfigValueKind.PathList => "path or list of paths",
        ConfigValueKind.Command => "list of strings",
        _ => Kind.ToString().ToLowerInvariant() + (Nullable ? " or null" : ""),
    };

    public object? Get(RunConfig config) => _get(config);

    /// <summary>Converts a YAML scalar (or list of scalars) to this key's type, checks its range, and stores it.
    /// Returns the problem in words, or null when the value was taken.
    /// A relative path of a <see cref="ConfigValueKind.PathList"/> key is made absolute against <paramref name="baseDirectory"/>:
    /// the folder of the file that names it (null: the current directory, for overrides).</summary>
    internal string? TrySet(RunConfig config, string? scalar, IReadOnlyList<string>? list, string? baseDirectory = null)
    {
        if (!TryConvert(scalar, list, out object? value, out string? problem)) return problem;
        if (value is string[] paths && Kind == ConfigValueKind.PathList)
            value = paths.Select(p => System.IO.Path.GetFullPath(p, baseDirectory ?? Directory.GetCurrentDirectory())).ToArray();
        // A command's arguments that name files beside the config (my_env.py) are made absolute; the program and
        // everything else stay as written.
        if (value is string[] arguments && Kind == ConfigValueKind.Command)
            value = arguments.Select((a, i) => i > 0 && !System.IO.Path.IsPathRooted(a) && baseDirectory is not null
                && File.Exists(System.IO.Path.Combine(baseDirectory, a)) ? System.IO.Path.GetFullPath(a, baseDirectory) : a).ToArray();
        string? rangeProblem = value is null ? null : _check(value);
        if (rangeProblem is not null) return rangeProblem;
        _set(config, value);
        return null;
    }

    private bool TryConvert(string? scalar, IReadOnlyList<string>? list, out object? value, out string? problem)
    {
        value = null; problem = null;
        if (Kind == ConfigValueKind.IntList)
        {
            if (list is null) { problem = $"expected a list of int like [256, 256], got '{scalar}'"; return false; }
            var ints = new int[list.Count];
            for (int i = 0; i < list.Count; i++)
                if (!ScalarText.TryParseInteger(list[i], out ints[i]))
                { problem = $"expected a list of int, item {i} is '{list[i]}'"; return false; }
            value = ints;
            return true;
        }
        if (Kind == ConfigValueKind.Command)
        {
            value = (list ?? (scalar is null or "" or "null" or "~" ? [] : [scalar])).ToArray();
            return true;
        }
        if (Kind == ConfigValueKind.PathList)
        {
            // One path, or a list of them; a null or empty value is no path at all.
            var paths = list ?? (scalar is null or "" or "null" or "~" ? [] : [scalar]);
            if (paths.Any(p => p.Trim().Length == 0)) { problem = "expected file paths, got an empty one"; return false; }
            value = paths.Select(p => p.Trim()).ToArray();
            return true;
        }
        if (list is not null) { problem = $"expected {TypeName}, got a list"; return false; }
        if (Kind == ConfigValueKind.String && scalar == "") { value = ""; return true; }
        if (scalar is null || scalar is "null" or "~" or "")
        {
            if (Nullable) return true;
            problem = $"expected {TypeName}, got nothing";
            return false;
        }
        switch (Kind)
        {
            case ConfigValueKind.Int:
                if (ScalarText.TryParseInteger(scalar, out int i32)) { value = i32; return true; }
                break;
            case ConfigValueKind.Long:
                if (ScalarText.TryParseInteger(scalar, out long i64)) { value = i64; return true; }
                break;
            case ConfigValueKind.ULong:
                if (ScalarText.TryParseInteger(scalar, out ulong u64)) { value = u64; return true; }
                break;
            case ConfigValueKind.Double:
                if (ScalarText.TryParseReal(scalar, out double d)) { value = d; return true; }
                break;
            case ConfigValueKind.Bool:
                if (ScalarText.TryParseBool(scalar, out bool b)) { value = b; return true; }
                break;
            case ConfigValueKind.Choice:
                if (Choices!.Contains(scalar, StringComparer.Ordinal)) { value = scalar; return true; }
                problem = $"expected one of {string.Join(", ", Choices!)}, got '{scalar}'";
                return false;
            case ConfigValueKind.String:
                value = scalar; return true;
        }
        problem = $"expected {TypeName}, got '{scalar}'";
        return false;
    }
}

/// <summary>The value types config keys take.</summary>
public enum ConfigValueKind { Int, Long, ULong, Double, Bool, Choice, String, IntList, PathList, Command }
