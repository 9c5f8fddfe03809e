using System.CommandLine;
using HerTools.Cli.Output;
using HerTools.Core.Config;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools presets [NAME]</c>: lists the shipped presets, or prints one preset's YAML.</summary>
internal sealed class PresetsCommand : Command
{
    private readonly Argument<string?> _name = new("NAME")
    {
        Description = "A preset to print as YAML (e.g. point_goal); without it, every preset is listed.",
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "NAME",
    };

    public PresetsCommand(CliContext context) : base("presets", "List the shipped presets, or print one as YAML to start a config from.")
    {
        _name.CompletionSources.Add(_ => Presets.List().Select(p => p.Name));
        Arguments.Add(_name.RejectingOptions());
        SetAction(parsed => Run(context, parsed.GetValue(_name)));
    }

    private static int Run(CliContext context, string? name)
    {
        if (name is null)
        {
            var table = new TextTable("NAME", "DESCRIPTION");
            foreach (var preset in Presets.List()) table.Add(preset.Name, preset.Description);
            table.Write(context.Out);
            return ExitCodes.Success;
        }
        var found = Presets.Find(name) ?? throw new UsageException(
            $"unknown preset '{name}'; shipped presets: {string.Join(", ", Presets.List().Select(p => p.Name))}");
        context.Out.Write(found.Yaml.EndsWith('\n') ? found.Yaml : found.Yaml + "\n");
        return ExitCodes.Success;
    }
}
