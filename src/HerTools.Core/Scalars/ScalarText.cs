using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;

namespace HerTools.Core.Scalars;

/// <summary>
/// The one rule for the scalars users type and the tools write. Config files, <c>--set</c>/<c>-Set</c> overrides,
/// environment options, sweep files and the CLI's number options all read through it; every YAML scalar the tools
/// write (a run's <c>config.yaml</c>, a sweep's resolved file, the overrides the module builds) is formatted by it.
/// It sits below every other namespace, environments included, so each can use it.
/// <list type="bullet">
/// <item>An integer is digits with an optional sign, <c>_</c> allowed between digits (<c>1_000_000</c>), or a number
/// in decimal or exponent notation whose value is exactly a whole number (<c>1e6</c>, <c>2.0</c>; not <c>1.5</c>, and
/// only up to 2^53 in size, where doubles stop being exact). The value must fit the key's type.</item>
/// <item>A real number is decimal or exponent notation (<c>0.5</c>, <c>1e-3</c>, <c>_</c> between digits allowed),
/// finite.</item>
/// <item>A boolean is <c>true</c> or <c>false</c> in any case, or <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c> where a
/// boolean is expected.</item>
/// </list>
/// Surrounding white space is ignored.
/// </summary>
public static class ScalarText
{
    private const double LargestExactWhole = 9007199254740992; // 2^53

    /// <summary>Reads an integer of type <typeparamref name="T"/> by the rule above; false when the text is not one or does not fit.</summary>
    public static bool TryParseInteger<T>(string? text, out T value) where T : IBinaryInteger<T>
    {
        value = T.Zero;
        if (!TryRemoveDigitSeparators(text, out string s)) return false;
        if (T.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out T? parsed))
        {
            value = parsed;
            return true;
        }
        if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)
            || !double.IsFinite(d) || d != Math.Floor(d) || Math.Abs(d) > LargestExactWhole)
            return false;
        long whole = (long)d;
        T converted = T.CreateSaturating(whole);
        if (long.CreateChecked(converted) != whole) return false;
        value = converted;
        return true;
    }

    /// <summary>Reads a finite real number by the rule above.</summary>
    public static bool TryParseReal(string? text, out double value)
    {
        value = 0;
        return TryRemoveDigitSeparators(text, out string s)
            && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
    }

    /// <summary>Reads a boolean: <c>true</c>/<c>false</c> in any case, or <c>yes</c>/<c>no</c>/<c>on</c>/<c>off</c>.</summary>
    public static bool TryParseBool(string? text, out bool value)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "on": value = true; return true;
            case "false" or "no" or "off": value = false; return true;
            default: value = false; return false;
        }
    }

    /// <summary>
    /// A plain (unquoted) YAML scalar whose key has no declared type, as a value: null for <c>null</c>, <c>~</c> or
    /// nothing, a bool for <c>true</c>/<c>false</c>, a long for an integer in digits, a double for other numbers,
    /// else the text. <c>yes</c> and <c>no</c> stay text here: only a boolean key reads them as booleans.
    /// </summary>
    public static object? ToValue(string? plain)
    {
        string? s = plain?.Trim();
        if (s is null or "" or "null" or "~") return null;
        if (s.Equals("true", StringComparison.OrdinalIgnoreCase)) return true;
        if (s.Equals("false", StringComparison.OrdinalIgnoreCase)) return false;
        if (TryRemoveDigitSeparators(s, out string digits) && long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture,
            out long l)) return l;
        if (TryParseReal(s, out double d)) return d;
        return plain;
    }

    /// <summary>
    /// A value as a YAML scalar (or flow list) that reads back as the same value: numbers invariant and round-trip
    /// exact, booleans lower case, lists as <c>[a, b]</c>, text quoted when it would otherwise read as something else.
    /// </summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => s.Length == 0 ? "''" : NeedsQuotes(s) ? Quote(s) : s,
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable items => "[" + string.Join(", ", items.Cast<object?>().Select(Format)) + "]",
        _ => value.ToString() ?? "null",
    };

    /// <summary>Text as a quoted YAML scalar, whatever it holds: single-quoted, or double-quoted with escapes when it
    /// holds control characters (a newline in a run_id), which only survive YAML that way.</summary>
    public static string Quote(string text) => text.Any(char.IsControl) ? DoubleQuoted(text) : "'" + text.Replace("'", "''") + "'";

    private static string DoubleQuoted(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }

    /// <summary>True when plain text would not read back as itself: YAML punctuation, a keyword, a number, edge spaces.</summary>
    public static bool NeedsQuotes(string s) =>
        s.Length == 0 || s.Any(char.IsControl) || s.IndexOfAny([':', '#', '[', ']', '{', '}', ',', '\'', '"', '&', '*', '!', '|', '>', '%', '@', '`']) >= 0
        || ToValue(s) is not string || TryParseBool(s, out _) || double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1]);

    // `_` is allowed between two digits only: 1_000 but not _1, 1_ or 1__0.
    private static bool TryRemoveDigitSeparators(string? text, out string result)
    {
        result = text?.Trim() ?? "";
        if (result.Length == 0) return false;
        if (!result.Contains('_')) return true;
        for (int i = 0; i < result.Length; i++)
            if (result[i] == '_' && (i == 0 || i == result.Length - 1 || !char.IsAsciiDigit(result[i - 1]) || !char.IsAsciiDigit(result[i + 1])))
                return false;
        result = result.Replace("_", "");
        return true;
    }
}
