using HerTools.Core.Scalars;

namespace HerTools.Core.Config;

/// <summary>
/// One documented config key: its dotted path, type, default and meaning, how to read and write it on a
/// <see cref="HerConfig"/>, and the range it must fall in. <see cref="ConfigSchema"/> lists them all.
/// </summary>
public sealed class ConfigKey
{
    private readonly Func<HerConfig, object?> _get;
    private readonly Action<HerConfig, object?> _set;
    private readonly Func<object?, string?> _check;

    internal ConfigKey(string path, ConfigValueKind kind, string description, Func<HerConfig, object?> get, Action<HerConfig, object?> set,
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

    /// <summary>The default, read from a fresh <see cref="HerConfig"/> so the schema and the class cannot disagree.</summary>
    public object? Default => _get(new HerConfig());

    public string TypeName => Kind switch
    {
        ConfigValueKind.Choice => "one of " + string.Join(", ", Choices!),
        ConfigValueKind.IntList => "list of int",
        _ => Kind.ToString().ToLowerInvariant() + (Nullable ? " or null" : ""),
    };

    public object? Get(HerConfig config) => _get(config);

    /// <summary>Converts a YAML scalar (or list of scalars) to this key's type, checks its range, and stores it.
    /// Returns the problem in words, or null when the value was taken.</summary>
    internal string? TrySet(HerConfig config, string? scalar, IReadOnlyList<string>? list)
    {
        if (!TryConvert(scalar, list, out object? value, out string? problem)) return problem;
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
public enum ConfigValueKind { Int, Long, ULong, Double, Bool, Choice, String, IntList }
