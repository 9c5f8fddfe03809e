namespace HerTools.Core.Envs;

/// <summary>Raised when an environment id is not registered; the message lists the registered ids
/// and, when the id differs from one only in case, suggests it.</summary>
public sealed class UnknownEnvironmentException : HerToolsException
{
    public UnknownEnvironmentException(string id, IReadOnlyList<string> registeredIds)
        : base(Describe(id, registeredIds))
    {
        Id = id;
        RegisteredIds = registeredIds;
    }

    /// <summary>The id asked for.</summary>
    public string Id { get; }
    /// <summary>Every id registered when the error was raised, in order.</summary>
    public IReadOnlyList<string> RegisteredIds { get; }

    private static string Describe(string id, IReadOnlyList<string> registeredIds)
    {
        string? nearly = registeredIds.FirstOrDefault(r => string.Equals(r, id, StringComparison.OrdinalIgnoreCase));
        string hint = nearly is null ? "" : $" Did you mean '{nearly}'?";
        return $"Unknown environment '{id}'.{hint} Registered: {string.Join(", ", registeredIds)}.";
    }
}
