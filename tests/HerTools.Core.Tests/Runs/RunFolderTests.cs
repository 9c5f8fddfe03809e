using HerTools.Core.Metrics;
using HerTools.Core.Runs;

namespace HerTools.Core.Tests.Runs;

public sealed class RunFolderTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), $"hertools-runfolder-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static readonly DateTimeOffset At = new(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2));

    [Fact]
    public void A_default_name_carries_the_stem_the_seed_and_the_utc_second()
    {
        Assert.Equal("point_goal-seed3-20260304-030607", RunFolder.DefaultName("point_goal", 3, At));
    }

    [Fact]
    public void Runs_started_in_the_same_second_claim_folders_of_their_own()
    {
        string runs = Path.Combine(_root, "runs");
        using var first = RunFolder.CreateDefault(runs, "point_goal", 3, At);
        using var second = RunFolder.CreateDefault(runs, "point_goal", 3, At); // the first still holds its folder
        File.WriteAllText(second.ConfigPath, "seed: 3\n");
        second.Dispose();
        using var third = RunFolder.CreateDefault(runs, "point_goal", 3, At); // the second's folder holds a run now

        Assert.Equal(Path.Combine(runs, "point_goal-seed3-20260304-030607"), first.Path);
        Assert.Equal(first.Path + "-2", second.Path);
        Assert.Equal(first.Path + "-3", third.Path);
    }

    [Fact]
    public void A_new_run_is_refused_in_a_folder_holding_a_users_own_config_yaml_and_the_file_is_left_alone()
    {
        Directory.CreateDirectory(_root);
        File.WriteAllText(Path.Combine(_root, "config.yaml"), "mine: true\n");

        var e = Assert.Throws<RunFolderInUseException>(() => RunFolder.CreateNew(_root));

        Assert.Equal(["config.yaml"], e.Found);
        Assert.Equal("mine: true\n", File.ReadAllText(Path.Combine(_root, "config.yaml")));
        Assert.False(File.Exists(Path.Combine(_root, RunLock.FileName)));
    }

    [Fact]
    public void A_partial_start_has_its_logs_and_best_checkpoint_set_aside_and_its_config_kept()
    {
        Directory.CreateDirectory(Path.Combine(_root, "checkpoints", "best"));
        File.WriteAllText(Path.Combine(_root, "checkpoints", "best", "checkpoint.json"), "{}");
        File.WriteAllText(RunFiles.ProgressPath(_root), "header\nrow\n");
        File.WriteAllText(RunFiles.EvalPath(_root), "header\n");
        File.WriteAllText(RunFiles.ConfigPath(_root), "seed: 1\n");
        using var folder = RunFolder.OpenExisting(_root);

        string aside = folder.SetAsidePartialStart(At)!;

        Assert.Equal(Path.Combine(_root, "partial-20260304-030607"), aside);
        Assert.Equal("header\nrow\n", File.ReadAllText(Path.Combine(aside, "progress.csv")));
        Assert.True(File.Exists(Path.Combine(aside, "eval.csv")));
        Assert.True(File.Exists(Path.Combine(aside, "best", "checkpoint.json")));
        Assert.False(File.Exists(RunFiles.ProgressPath(_root)));
        Assert.False(Directory.Exists(Path.Combine(_root, "checkpoints", "best")));
        Assert.Equal("seed: 1\n", File.ReadAllText(RunFiles.ConfigPath(_root)));
    }
}
