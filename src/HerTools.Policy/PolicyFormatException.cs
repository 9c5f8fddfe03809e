namespace HerTools.Policy;

/// <summary>A policy file or model that cannot be used: the message names what is wrong.</summary>
public sealed class PolicyFormatException : Exception
{
    public PolicyFormatException(string message) : base(message) { }
    public PolicyFormatException(string message, Exception inner) : base(message, inner) { }
}
