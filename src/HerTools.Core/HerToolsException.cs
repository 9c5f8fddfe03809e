namespace HerTools.Core;

/// <summary>Root of every error the engine raises on purpose; front ends map this family to
/// error records and exit codes in one place each.</summary>
public class HerToolsException : Exception
{
    public HerToolsException(string message) : base(message) { }
    public HerToolsException(string message, Exception? inner) : base(message, inner) { }
}
