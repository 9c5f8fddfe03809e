namespace HerTools.Core.Envs;

/// <summary>
/// An environment plug-in as loaded: the assembly's full path, the SHA-256 of the file that was loaded (lowercase
/// hexadecimal; run folders and checkpoints record it), and the environments it registered.
/// </summary>
public sealed record EnvPlugin(string Path, string Sha256, IReadOnlyList<EnvSpec> Environments);
