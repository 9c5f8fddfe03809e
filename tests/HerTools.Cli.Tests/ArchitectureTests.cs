using HerTools.Core.Config;
using NetArchTest.Rules;

namespace HerTools.Cli.Tests;

/// <summary>
/// The arrows of docs/architecture.md, held: Envs &lt;- Replay &lt;- Agents &lt;- Training &lt;- front ends, Config and
/// Metrics (and Checkpoints) below Training, Runs (run folders) between them and Training, Sweeps over Training,
/// Randomness and Scalars under everything, and the front ends kept off the checkpoint store's write-side types. A new
/// edge fails here until the table says it is meant. Each rule is also run over <c>ArchitectureFixture</c>, which breaks
/// every forbidden edge once and keeps every allowed one, so a rule that stopped catching its edge would fail too.
/// </summary>
public sealed class ArchitectureTests
{
    private const string CoreRoot = "HerTools.Core";
    private const string FixtureRoot = "HerTools.Cli.Tests.ArchitectureFixture";

    /// <summary>Each namespace of the engine and the engine namespaces it must not use (the root's HerToolsException is open to all).</summary>
    private static readonly (string Layer, string[] MustNotUse)[] Rules =
    [
        ("Randomness", ["Scalars", "Envs", "Replay", "Agents", "Config", "Metrics", "Checkpoints", "Runs", "Training", "Sweeps"]),
        ("Scalars", ["Randomness", "Envs", "Replay", "Agents", "Config", "Metrics", "Checkpoints", "Runs", "Training", "Sweeps"]),
        ("Envs", ["Replay", "Agents", "Config", "Metrics", "Checkpoints", "Runs", "Training", "Sweeps"]),
        ("Replay", ["Agents", "Config", "Metrics", "Runs", "Training", "Sweeps"]),
        ("Agents", ["Config", "Metrics", "Runs", "Training", "Sweeps"]),
        ("Config", ["Replay", "Agents", "Metrics", "Checkpoints", "Runs", "Training", "Sweeps"]),
        ("Metrics", ["Envs", "Replay", "Agents", "Config", "Checkpoints", "Runs", "Training", "Sweeps"]),
        ("Checkpoints", ["Envs", "Replay", "Agents", "Config", "Runs", "Training", "Sweeps"]),
        ("Runs", ["Envs", "Replay", "Agents", "Training", "Sweeps"]),
        ("Training", ["Sweeps"]),
    ];

    /// <summary>
    /// What front ends may use of Checkpoints and Metrics: the records and errors they show. Every other public type
    /// there (the store, the CSV log, the run folder's file names, the write side, and any added later) is forbidden:
    /// a front end reads a run folder through <c>Runs.RunRecords</c>, which owns the layout and the rules for reading
    /// it while a run writes it.
    /// </summary>
    private static readonly string[] FrontEndMayUse =
    [
        "CheckpointInfo", "CheckpointException", "CheckpointProblem", "CheckpointVerification", "ProgressRow", "EvalRow", "MetricsFormatException",
    ];

    [Fact]
    public void The_engine_namespaces_use_only_what_the_arrows_allow()
    {
        Assert.Empty(LayerViolations(Types.InAssembly(typeof(RunConfig).Assembly), CoreRoot));
    }

    [Fact]
    public void Every_forbidden_edge_between_engine_namespaces_is_caught_and_no_allowed_one()
    {
        var violating = LayerViolations(Types.InNamespace(FixtureRoot), FixtureRoot);

        var expected = Rules.SelectMany(r => r.MustNotUse.Select(used => $"{FixtureRoot}.{r.Layer}.Uses{used}")).Order().ToList();
        Assert.Equal(67, expected.Count); // the forbidden edges of the table, each broken once in the fixture
        Assert.Equal(expected, violating.Order().ToList());
    }

    [Fact]
    public void The_front_ends_and_the_plotting_library_keep_off_the_checkpoint_and_metrics_internals()
    {
        string[] forbidden = FrontEndForbidden();
        Assert.Contains("HerTools.Core.Checkpoints.CheckpointReader", forbidden);
        Assert.Contains("HerTools.Core.Metrics.CsvLog`1", forbidden);

        string[] frontEnds =
        [
            Path.Combine(AppContext.BaseDirectory, "her-tools.dll"), Path.Combine(AppContext.BaseDirectory, "HerTools.Plotting.dll"), RepoModuleAssembly(),
        ];
        foreach (string frontEnd in frontEnds)
        {
            var result = Types.FromFile(frontEnd).ShouldNot().HaveDependencyOnAny(forbidden).GetResult();
            Assert.True(result.IsSuccessful,
                $"{Path.GetFileName(frontEnd)}: {string.Join(", ", result.FailingTypeNames ?? [])} use {string.Join(", ", forbidden)}");
        }
    }

    [Fact]
    public void The_front_end_rule_catches_a_type_that_reaches_into_the_checkpoint_or_metrics_internals()
    {
        var result = Types.InNamespace(FixtureRoot + ".FrontEnd").ShouldNot().HaveDependencyOnAny(FrontEndForbidden()).GetResult();

        string[] expected = ["UsesCheckpointReader", "UsesCheckpointStore", "UsesCheckpointSummary", "UsesCsvLog", "UsesRunFiles"];
        Assert.Equal(expected.Select(name => $"{FixtureRoot}.FrontEnd.{name}"), result.FailingTypeNames.Order());
    }

    /// <summary>Full names of the types that broke a rule of <see cref="Rules"/>, for namespaces under <paramref name="root"/>.</summary>
    private static List<string> LayerViolations(Types types, string root)
    {
        var violating = new List<string>();
        foreach (var (layer, mustNotUse) in Rules)
        {
            var result = types.That().ResideInNamespace($"{root}.{layer}").ShouldNot()
                .HaveDependencyOnAny(mustNotUse.Select(used => $"{root}.{used}").ToArray()).GetResult();
            if (!result.IsSuccessful) violating.AddRange(result.FailingTypeNames);
        }
        return violating;
    }

    private static string[] FrontEndForbidden() => typeof(RunConfig).Assembly.GetExportedTypes()
        .Where(t => t.Namespace is "HerTools.Core.Checkpoints" or "HerTools.Core.Metrics" && !t.IsNested && !FrontEndMayUse.Contains(t.Name))
        .Select(t => t.FullName!).Order().ToArray();

    private static string RepoModuleAssembly()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "module", "bin", "HerTools.PowerShell.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("module/bin/HerTools.PowerShell.dll not found above the test output; build the solution first");
    }
}
