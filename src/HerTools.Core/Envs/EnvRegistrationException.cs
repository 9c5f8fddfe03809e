namespace HerTools.Core.Envs;

/// <summary>Raised when an environment cannot be registered: a malformed spec, an id already taken by
/// another registration, or a marked class whose constructor cannot be turned into options.</summary>
public sealed class EnvRegistrationException : HerToolsException
{
    public EnvRegistrationException(string message, Exception? inner = null) : base(message, inner) { }
}
