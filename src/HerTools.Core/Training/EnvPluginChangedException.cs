namespace HerTools.Core.Training;

/// <summary>Raised when a resume or an evaluation finds an environment plug-in missing or different from the
/// file its checkpoint was trained with (<c>env.assembly</c>).</summary>
public sealed class EnvPluginChangedException : HerToolsException
{
    public EnvPluginChangedException(string path, string message) : base(message) => AssemblyPath = path;

    /// <summary>The plug-in's full path, as the checkpoint recorded it.</summary>
    public string AssemblyPath { get; }
}
