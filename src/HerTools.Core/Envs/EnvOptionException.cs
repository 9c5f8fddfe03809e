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

    public string EnvId { get; }
    public string OptionName { get; }
}
