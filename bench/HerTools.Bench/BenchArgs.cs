using System.Globalization;

namespace HerTools.Bench;

/// <summary>The <c>--name value</c> options a benchmark takes; unknown names are refused so a typo never measures the default.</summary>
public sealed class BenchArgs
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly HashSet<string> _read = new(StringComparer.Ordinal);

    public BenchArgs(string[] args)
    {
        for (int i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            _values[args[i][2..]] = args[++i];
        }
    }

    public int Int(string name, int fallback) => Get(name, fallback, s => int.Parse(s, CultureInfo.InvariantCulture));
    public long Long(string name, long fallback) => Get(name, fallback, s => long.Parse(s, CultureInfo.InvariantCulture));
    public double Double(string name, double fallback) => Get(name, fallback, s => double.Parse(s, CultureInfo.InvariantCulture));
    public string String(string name, string fallback) => Get(name, fallback, s => s);

    /// <summary>Throws when an option was given that no benchmark code asked for.</summary>
    public void EnsureAllUsed()
    {
        var unused = _values.Keys.Where(k => !_read.Contains(k)).ToList();
        if (unused.Count > 0) throw new ArgumentException($"unknown option(s): {string.Join(", ", unused.Select(u => "--" + u))}");
    }

    private T Get<T>(string name, T fallback, Func<string, T> parse)
    {
        _read.Add(name);
        return _values.TryGetValue(name, out var s) ? parse(s) : fallback;
    }

    /// <summary>Prints one figure as <c>name=value</c>, invariant culture.</summary>
    public static void Print(string name, double value) =>
        Console.WriteLine(FormattableString.Invariant($"{name}={value:0.###}"));
}
