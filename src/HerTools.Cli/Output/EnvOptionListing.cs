using HerTools.Core.Envs;

namespace HerTools.Cli.Output;

/// <summary>What <c>envs --json</c> prints of an <see cref="EnvOption"/>.</summary>
internal sealed record EnvOptionListing(string Name, EnvOptionType Type, object? Default, bool Required, double? Minimum, double? Maximum, string Description)
{
    public static EnvOptionListing From(EnvOption option) =>
        new(option.Name, option.Type, option.Default, option.IsRequired, option.Minimum, option.Maximum, option.Description);
}
