using System.CommandLine;
using System.Globalization;
using HerTools.Cli.Output;
using HerTools.Core.Envs;

namespace HerTools.Cli.Commands;

/// <summary><c>her-tools envs [--json]</c>: the registered goal environments and their options (<c>env.&lt;option&gt;</c> config keys).</summary>
internal sealed class EnvsCommand : Command
{
    private readonly Option<bool> _json = new("--json") { Description = "Print the environments as JSON (snake_case keys) instead of text." };

    public EnvsCommand(CliContext context) : base("envs", "List the goal environments (env.id) and the options each takes (env.<option>).")
    {
        Options.Add(_json);
        SetAction(parsed => Run(context, parsed.GetValue(_json)));
    }

    private static int Run(CliContext context, bool json)
    {
        var specs = EnvRegistry.List();
        if (json)
        {
            CliJson.Write(context.Out, specs.Select(EnvListing.From).ToList());
            return ExitCodes.Success;
        }
        foreach (var spec in specs)
        {
            context.Out.WriteLine($"{spec.Id}  (episodes of {spec.DefaultMaxEpisodeSteps} steps by default)");
            if (spec.Description.Length > 0) context.Out.WriteLine($"  {spec.Description}");
            if (spec.Options.Count == 0)
            {
                context.Out.WriteLine("  no options");
                continue;
            }
            var table = new TextTable("option", "value", "default", "meaning");
            foreach (var option in spec.Options)
                table.Add("env." + option.Name, option.Expected(), option.IsRequired ? "required" : Show(option.Default), option.Description);
            table.Write(context.Out, header: false, indent: "  ");
        }
        return ExitCodes.Success;
    }

    private static string Show(object? value) => value switch
    {
        null => "-",
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "-",
    };
}
