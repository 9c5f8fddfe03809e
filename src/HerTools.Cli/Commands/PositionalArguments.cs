using System.CommandLine;

namespace HerTools.Cli.Commands;

/// <summary>Keeps positional arguments from swallowing mistyped options.</summary>
internal static class PositionalArguments
{
    /// <summary>
    /// System.CommandLine hands an unknown <c>--bogus</c> to a free positional argument (CONFIG, RUN_DIR, ...), where
    /// it would fail later as "file not found". Named as the unknown option it is, it fails at parse time (exit code 2).
    /// </summary>
    public static T RejectingOptions<T>(this T argument) where T : Argument
    {
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (token.Value.Length > 1 && token.Value[0] == '-' && !double.TryParse(token.Value, out _))
                    result.AddError($"Unrecognized option '{token.Value}'.");
        });
        return argument;
    }
}
