namespace HerTools.Core.Envs;

/// <summary>Raised when an environment option is unknown, missing, of the wrong type or out of range;
/// names the environment and the option.</summary>
public sealed class EnvOptionException : HerToolsException
{
    public EnvOptionException(string envId, string optionName, string problem, Exception? inner = null)
        : base($"{envId}: option '{optionName}' {problem}", inner)
    {
        EnvId = envId;
        OptionName = optionName;
    }

    /// <summary>The environment the option was given to.</summary>
    public string EnvId { get; }
    /// <summary>The option as the caller spelled it (for an unknown option, the unknown name).</summary>
    public string OptionName { get; }
}
