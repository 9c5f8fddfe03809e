using System.Reflection;
using System.Runtime.Loader;

namespace HerTools.Core.Envs;

/// <summary>
/// The load context of one environment plug-in: its own NuGet dependencies resolve from its <c>.deps.json</c>
/// (beside the assembly), while the engine and TorchSharp always resolve to the host's copies, so the plug-in's
/// <see cref="IGoalEnv"/> is the very type the engine knows (a second copy would be a different type).
/// </summary>
internal sealed class EnvPluginLoadContext : AssemblyLoadContext
{
    private static readonly Assembly Engine = typeof(IGoalEnv).Assembly;
    // Shared with the host: the engine and what its types expose (tensors). Asked of the engine's own context, so
    // a host that loads the engine in a context of its own (a PowerShell module may) shares that copy.
    private static readonly HashSet<string> Shared = new(StringComparer.OrdinalIgnoreCase) { "HerTools.Core", "TorchSharp" };

    private readonly AssemblyDependencyResolver _resolver;

    public EnvPluginLoadContext(string assemblyPath) : base($"HerTools plug-in {Path.GetFileName(assemblyPath)}", isCollectible: false)
    {
        _resolver = new AssemblyDependencyResolver(assemblyPath);
    }

    protected override Assembly? Load(AssemblyName name)
    {
        if (name.Name is string simple && Shared.Contains(simple))
            return simple.Equals(Engine.GetName().Name, StringComparison.OrdinalIgnoreCase) ? Engine
                : (GetLoadContext(Engine) ?? Default).LoadFromAssemblyName(name);
        // Anything else the plug-in ships is its own; what it does not ship (the framework) comes from the default context.
        return _resolver.ResolveAssemblyToPath(name) is string path ? LoadFromAssemblyPath(path) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName) =>
        _resolver.ResolveUnmanagedDllToPath(unmanagedDllName) is string path ? LoadUnmanagedDllFromPath(path) : IntPtr.Zero;
}
