namespace HerTools.Core.Sweeps;

/// <summary>A sweep folder that cannot be used, or a scheduler command that failed; names the folder or the command.</summary>
public sealed class SweepException : HerToolsException
{
    public SweepException(string message) : base(message) { }
    public SweepException(string message, Exception? inner) : base(message, inner) { }
}
