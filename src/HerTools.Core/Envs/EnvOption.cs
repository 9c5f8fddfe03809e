using System.Globalization;
using HerTools.Core.Scalars;

namespace HerTools.Core.Envs;

/// <summary>
/// One keyword option of an environment, e.g. <c>n_bits</c> of BitFlip-v0. A null
/// <see cref="Default"/> makes the option required. <see cref="Minimum"/> and <see cref="Maximum"/>
/// (inclusive) bound <see cref="EnvOptionType.Int"/> and <see cref="EnvOptionType.Double"/> options.
/// </summary>
public sealed record EnvOption(string Name, EnvOptionType Type, object? Default, string Description)
{
    /// <summary>Smallest accepted value (inclusive) of an Int or Double option; null for no bound.</summary>
    public double? Minimum { get; init; }
    /// <summary>Largest accepted value (inclusive) of an Int or Double option; null for no bound.</summary>
    public double? Maximum { get; init; }

    /// <summary>True when there is no default: <see cref="EnvRegistry.Make"/> refuses to make the environment without it.</summary>
    public bool IsRequired => Default is null;

    /// <summary>
    /// Converts a value as it arrives from YAML, a command line or code (string, long, double, bool, ...)
    /// to the option's type: an <c>int</c> for Int ("16", 16L and 16.0 are accepted, 16.5 is not),
    /// a <c>bool</c> for Bool (true/false, yes/no, on/off in text), a finite <c>double</c> for Double,
    /// a <c>string</c> for String; then checks the range.
    /// </summary>
    /// <exception cref="EnvOptionException">The value cannot be converted or is out of range.</exception>
    public object Convert(object? value, string envId)
    {
        if (value is null) throw new EnvOptionException(envId, Name, $"must be {Expected()}, got null");
        object converted = Type switch
        {
            EnvOptionType.Int => ToInt(value) ?? throw Refuse(value, envId),
            EnvOptionType.Bool => ToBool(value) ?? throw Refuse(value, envId),
            EnvOptionType.Double => ToDouble(value) ?? throw Refuse(value, envId),
            EnvOptionType.String => ToText(value) ?? throw Refuse(value, envId),
            _ => throw new InvalidOperationException($"unknown option type {Type}"),
        };
        if (Type is EnvOptionType.Int or EnvOptionType.Double)
        {
            double number = System.Convert.ToDouble(converted, CultureInfo.InvariantCulture);
            if ((Minimum is double min && number < min) || (Maximum is double max && number > max))
                throw new EnvOptionException(envId, Name, $"must be {RangeText()}, got {Show(converted)}");
        }
        return converted;
    }

    /// <summary>"an integer between 1 and 64", "true or false", ... for messages and listings.</summary>
    public string Expected()
    {
        string range = Minimum is null && Maximum is null ? "" : " " + RangeText();
        return Type switch
        {
            EnvOptionType.Int => "an integer" + range,
            EnvOptionType.Double => "a finite number" + range,
            EnvOptionType.Bool => "true or false",
            _ => "a string",
        };
    }

    private string RangeText() => (Minimum, Maximum) switch
    {
        (double min, double max) => $"between {Show(min)} and {Show(max)}",
        (double min, null) => $"at least {Show(min)}",
        (null, double max) => $"at most {Show(max)}",
        _ => "",
    };

    private EnvOptionException Refuse(object value, string envId) =>
        new(envId, Name, $"must be {Expected()}, got {Show(value)} ({value.GetType().Name})");

    private static string Show(object value) => value switch
    {
        string s => $"'{s}'",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static int? ToInt(object value)
    {
        switch (value)
        {
            case int i: return i;
            case ulong u: return u <= int.MaxValue ? (int)u : null;
            case long or short or byte or sbyte or ushort or uint:
                long whole = System.Convert.ToInt64(value, CultureInfo.InvariantCulture);
                return whole is >= int.MinValue and <= int.MaxValue ? (int)whole : null;
            case double or float or decimal:
                return IntegralToInt(System.Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case string s:
                return ScalarText.TryParseInteger(s, out int parsed) ? parsed : null;
            default: return null;
        }
    }

    // A whole number written as a float ("16.0", 1e3) is still the integer it names; 16.5 is not.
    private static int? IntegralToInt(double d) =>
        double.IsFinite(d) && Math.Floor(d) == d && d >= int.MinValue && d <= int.MaxValue ? (int)d : null;

    private static bool? ToBool(object value) => value switch
    {
        bool b => b,
        string s => ScalarText.TryParseBool(s, out bool parsed) ? parsed : null,
        _ => null,
    };

    private static double? ToDouble(object value)
    {
        double d;
        switch (value)
        {
            case bool: return null;
            case string s:
                return ScalarText.TryParseReal(s, out d) ? d : null;
            case IConvertible c when value is double or float or decimal or int or long or short or byte or sbyte or ushort or uint or ulong:
                d = c.ToDouble(CultureInfo.InvariantCulture);
                break;
            default: return null;
        }
        return double.IsFinite(d) ? d : null;
    }

    private static string? ToText(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        IFormattable f when value is double or float or decimal or int or long or short or byte or sbyte or ushort or uint or ulong
            => f.ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };
}
