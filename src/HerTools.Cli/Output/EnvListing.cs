using HerTools.Core.Envs;

namespace HerTools.Cli.Output;

/// <summary>What <c>envs --json</c> prints of an <see cref="EnvSpec"/>: everything but its factory.</summary>
internal sealed record EnvListing(string Id, string Description, int DefaultMaxEpisodeSteps, IReadOnlyList<EnvOptionListing> Options)
{
    public static EnvListing From(EnvSpec spec) =>
        new(spec.Id, spec.Description, spec.DefaultMaxEpisodeSteps, spec.Options.Select(EnvOptionListing.From).ToList());
}
