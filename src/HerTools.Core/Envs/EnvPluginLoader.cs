using System.Reflection;
using System.Security.Cryptography;

namespace HerTools.Core.Envs;

/// <summary>
/// Loads environment plug-ins (class libraries with <see cref="GoalEnvironmentAttribute"/> classes or
/// <see cref="IGoalEnvFactory"/> types), each in its own load context, and registers their environments in
/// <see cref="EnvRegistry"/>. Loading a file again is a no-op while its bytes are unchanged; a changed file is
/// loaded afresh and replaces its environments. Safe to use from several threads.
/// </summary>
public static class EnvPluginLoader
{
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, EnvPlugin> ByPath = new(StringComparer.Ordinal);

    /// <summary>Loads the plug-in at <paramref name="path"/> (made absolute against the current directory).</summary>
    /// <exception cref="EnvRegistrationException">The file is missing or not a .NET assembly, cannot be loaded,
    /// declares no environment, declares one id twice, or takes an id another registration holds; the message names
    /// the file and, where one is at fault, the type.</exception>
    public static EnvPlugin Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new EnvRegistrationException($"environment plug-in {fullPath} not found");
        string sha256 = Sha256Of(fullPath);
        lock (Gate)
        {
            if (ByPath.TryGetValue(fullPath, out var loaded) && loaded.Sha256 == sha256) return loaded;
            Assembly assembly;
            try
            {
                assembly = new EnvPluginLoadContext(fullPath).LoadFromAssemblyPath(fullPath);
            }
            catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                throw new EnvRegistrationException($"environment plug-in {fullPath} cannot be loaded: {ex.Message}", ex);
            }
            IReadOnlyList<EnvSpec> specs;
            try { specs = EnvRegistry.RegisterFromAssembly(assembly); }
            catch (EnvRegistrationException ex)
            {
                throw new EnvRegistrationException($"environment plug-in {fullPath}: {ex.Message}", ex);
            }
            if (specs.Count == 0)
                throw new EnvRegistrationException($"environment plug-in {fullPath} declares no environment: it needs a public class " +
                    "implementing IGoalEnv marked [GoalEnvironment(\"MyEnv-v0\")], or a public IGoalEnvFactory with a parameterless constructor");
            var plugin = new EnvPlugin(fullPath, sha256, specs);
            ByPath[fullPath] = plugin;
            return plugin;
        }
    }

    /// <summary>The plug-ins loaded so far in this process, in the order they were first loaded.</summary>
    public static IReadOnlyList<EnvPlugin> Loaded()
    {
        lock (Gate) return ByPath.Values.ToArray();
    }

    /// <summary>The SHA-256 of a file as lowercase hexadecimal, as run folders and checkpoints record a plug-in.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
