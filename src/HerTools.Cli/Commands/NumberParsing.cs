using System.CommandLine.Parsing;
using System.Numerics;
using HerTools.Core.Scalars;

namespace HerTools.Cli.Commands;

/// <summary>Whole-number option values, read by the engine's one number rule (<see cref="ScalarText"/>: <c>1e6</c>, <c>1_000_000</c>),
/// with an error that says what was expected, not a CLR type name.</summary>
internal static class NumberParsing
{
    /// <summary>A parser for <c>Option&lt;T?&gt;.CustomParser</c>.</summary>
    public static Func<ArgumentResult, T?> Optional<T>(T? minimum = null) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        result => Parse(result, minimum ?? T.MinValue);

    /// <summary>A parser for <c>Option&lt;T&gt;.CustomParser</c>.</summary>
    public static Func<ArgumentResult, T> Required<T>(T? minimum = null) where T : struct, IBinaryInteger<T>, IMinMaxValue<T> =>
        result => Parse(result, minimum ?? T.MinValue);

    private static T Parse<T>(ArgumentResult result, T minimum) where T : struct, IBinaryInteger<T>, IMinMaxValue<T>
    {
        string text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        if (ScalarText.TryParseInteger(text, out T value) && value >= minimum)
            return value;
        string name = result.Parent is OptionResult option ? option.Option.Name : "the value";
        string expected = minimum == T.MinValue && !T.IsZero(minimum) ? "a whole number" : $"a whole number of {minimum} or more";
        result.AddError($"{name} expects {expected}, got '{text}'.");
        return default;
    }
}
