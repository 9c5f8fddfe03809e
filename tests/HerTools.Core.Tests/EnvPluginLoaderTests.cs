using HerTools.Core.Config;
using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

public class EnvPluginLoaderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-plugin-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public void A_plug_in_registers_its_environments_and_resolves_its_own_dependencies()
    {
        var plugin = EnvPluginLoader.Load(TestPlugin.Path);

        Assert.Equal(["Reach2DBadReward-v0", "Reach2D-v0", "Reach2DNoState-v0"], plugin.Environments.Select(e => e.Id));
        Assert.Equal(EnvPluginLoader.Sha256Of(TestPlugin.Path), plugin.Sha256);
        Assert.Equal(64, plugin.Sha256.Length);
        // The constructor reads goal_range with Newtonsoft.Json, which only the plug-in's .deps.json names.
        var env = EnvRegistry.Make("Reach2D-v0", new Dictionary<string, object?> { ["goal_range"] = "[-0.5, 0.5]" });
        var observation = env.Reset(3);
        Assert.InRange(observation.DesiredGoal[0], -0.5f, 0.5f);
        // Its IGoalEnv is the engine's: the engine and TorchSharp came from the host.
        Assert.Same(typeof(IGoalEnv).Assembly, env.GetType().GetInterfaces().Single(i => i.Name == nameof(IGoalEnv)).Assembly);
        Assert.Contains(EnvRegistry.List(), s => s.Id == "Reach2DNoState-v0");
    }

    [Fact]
    public void Loading_the_same_file_again_is_a_no_op()
    {
        var first = EnvPluginLoader.Load(TestPlugin.Path);
        Assert.Same(first, EnvPluginLoader.Load(TestPlugin.Path));
    }

    [Fact]
    public void A_config_names_a_plug_in_relative_to_its_file_and_its_options_are_checked_like_built_ins()
    {
        string dll = TestPlugin.CopyTo(Path.Combine(_root, "plugins"));
        string configPath = Path.Combine(_root, "run.yaml");
        File.WriteAllText(configPath, "env:\n  assembly: plugins/MyEnvs.dll\n  id: Reach2D-v0\n  distance_threshold: 0.2\n");

        var config = ConfigLoader.LoadFile(configPath);
        Assert.Equal([dll], config.Env.Assemblies);
        Assert.Contains("  assembly: [" + dll + "]\n", config.ToYaml());

        File.WriteAllText(configPath, "env:\n  assembly: plugins/MyEnvs.dll\n  id: Reach2D-v0\n  distance_threshold: 5\n");
        var outOfRange = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(configPath));
        Assert.Equal("env.distance_threshold", outOfRange.Key);
        Assert.Equal(4, outOfRange.Line);
        Assert.Contains("must be between 0.01 and 1", outOfRange.Message);
    }

    [Fact]
    public void A_missing_plug_in_is_a_config_error_naming_the_key_and_the_file()
    {
        string configPath = Path.Combine(_root, "missing.yaml");
        Directory.CreateDirectory(_root);
        File.WriteAllText(configPath, "env:\n  id: Reach2D-v0\n  assembly: [nowhere/Missing.dll]\n");
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(configPath));
        Assert.Equal("env.assembly", error.Key);
        Assert.Equal(3, error.Line);
        Assert.Contains(Path.Combine(_root, "nowhere", "Missing.dll") + " not found", error.Message);
    }

    [Fact]
    public void A_file_that_is_not_an_assembly_is_refused_naming_it()
    {
        Directory.CreateDirectory(_root);
        string notAnAssembly = Path.Combine(_root, "NotAnAssembly.dll");
        File.WriteAllText(notAnAssembly, "MZ but not really");
        var error = Assert.Throws<EnvRegistrationException>(() => EnvPluginLoader.Load(notAnAssembly));
        Assert.StartsWith($"environment plug-in {notAnAssembly} cannot be loaded", error.Message);
    }

    [Fact]
    public void An_assembly_without_environments_is_refused_naming_it()
    {
        string newtonsoft = Path.Combine(Path.GetDirectoryName(TestPlugin.CopyTo(Path.Combine(_root, "copy")))!, "Newtonsoft.Json.dll");
        var error = Assert.Throws<EnvRegistrationException>(() => EnvPluginLoader.Load(newtonsoft));
        Assert.StartsWith($"environment plug-in {newtonsoft} declares no environment", error.Message);
    }

    [Fact]
    public void An_environment_taking_a_built_in_id_is_refused_naming_both_types()
    {
        var error = Assert.Throws<EnvRegistrationException>(() => EnvRegistry.Register(typeof(PointGoalImpostor)));
        Assert.Equal("'PointGoal-v0' is already registered (by class HerTools.Core.Envs.PointGoalEnv); choose another id for " +
            typeof(PointGoalImpostor).FullName, error.Message);
    }

    // Private, so no RegisterFromAssembly of this test assembly sees it.
    [GoalEnvironment("PointGoal-v0", MaxEpisodeSteps = 50)]
    private sealed class PointGoalImpostor() : PointGoalWrapper(new PointGoalEnv())
    {
        public override string Id => "PointGoal-v0";
    }
}
