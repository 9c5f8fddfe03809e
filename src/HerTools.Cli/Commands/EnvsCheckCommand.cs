using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Cli.Commands;

/// <summary>
/// <c>her-tools envs check ID [--assembly DLL ...] [--set env.k=v ...] [--episodes N] [--seed N] [--json]</c>: plays an
/// environment with random actions through <see cref="EnvChecker"/> and prints every violation of the contract HER needs.
/// Exit code 0 when it passed, 1 when it did not.
/// </summary>
internal sealed class EnvsCheckCommand : Command
{
    private readonly Argument<string> _id = new("ID") { Description = "The environment id, e.g. MyEnv-v0 ('her-tools envs' lists them)." };

    private readonly Option<string[]> _assembly = new("--assembly")
    {
        Description = "Load an environment plug-in (a .NET class library, as env.assembly names one) first; repeat for more.",
        HelpName = "DLL",
    };

    private readonly Option<string[]> _set = new("--set")
    {
        Description = "An environment option, e.g. --set env.n_bits=12; repeat for more. The value is read as YAML.",
        HelpName = "env.key=value",
    };

    private readonly Option<int> _episodes = new("--episodes")
    {
        Description = "Episodes to play (each is replayed to check determinism and saved state).",
        HelpName = "N",
        DefaultValueFactory = _ => 5,
        CustomParser = NumberParsing.Required<int>(minimum: 1),
    };

    private readonly Option<ulong?> _seed = new("--seed")
    {
        Description = "Seed of the random actions; episode k is reset with seed + k - 1 (default 0).",
        HelpName = "N",
        CustomParser = NumberParsing.Optional<ulong>(),
    };

    private readonly Option<bool> _json = new("--json") { Description = "Print the report as JSON (camelCase) instead of text." };

    public EnvsCheckCommand(CliContext context) : base("check",
        "Check an environment against the contract HER relies on (spaces, determinism, saved state, reward == ComputeReward, batches); " +
        "print every violation.")
    {
        Arguments.Add(_id.RejectingOptions());
        Options.Add(_assembly);
        Options.Add(_set);
        Options.Add(_episodes);
        Options.Add(_seed);
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed));
    }

    private int Run(CliContext context, ParseResult parsed)
    {
        foreach (string assembly in parsed.GetValue(_assembly) ?? []) EnvPluginLoader.Load(assembly);
        string id = parsed.GetValue(_id)!;
        var report = EnvChecker.Check(id, EnvOptions(parsed.GetValue(_set) ?? []), parsed.GetValue(_episodes), parsed.GetValue(_seed) ?? 0);
        if (parsed.GetValue(_json)) CliJson.Write(context.Out, report);
        else
        {
            foreach (var violation in report.Violations) context.Out.WriteLine(violation.ToString());
            context.Out.WriteLine(report.Passed
                ? $"{report.EnvId}: passed ({report.Episodes} episodes, {report.Transitions} steps checked)"
                : $"{report.EnvId}: {report.Violations.Count} problem{(report.Violations.Count == 1 ? "" : "s")} in {report.Episodes} episodes, " +
                    $"{report.Transitions} steps");
        }
        return report.Passed ? ExitCodes.Success : ExitCodes.RuntimeFailure;
    }

    /// <summary>The env.k=v overrides as options, converted as a config's env.k would be.</summary>
    private static Dictionary<string, object?> EnvOptions(string[] overrides)
    {
        var config = new RunConfig();
        foreach (string text in overrides)
        {
            if (!text.StartsWith("env.", StringComparison.Ordinal) || text.StartsWith("env.id=", StringComparison.Ordinal)
                || text.StartsWith("env.assembly=", StringComparison.Ordinal))
                throw new UsageException($"--set takes the environment's options here (env.<option>=value), got '{text}'");
            ConfigLoader.ApplyOverride(config, text);
        }
        return new Dictionary<string, object?>(config.Env.Options);
    }
}
