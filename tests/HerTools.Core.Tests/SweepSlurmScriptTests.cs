using HerTools.Core.Sweeps;

namespace HerTools.Core.Tests;

/// <summary>What <see cref="SlurmSweepRunner"/> hands to sbatch, checked without a scheduler.</summary>
public sealed class SweepSlurmScriptTests : IDisposable
{
    private readonly SweepTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Theory]
    [InlineData(new[] { 0, 1, 2, 3 }, null, "0-3")]
    [InlineData(new[] { 0, 1, 2, 3 }, 2, "0-3%2")]
    [InlineData(new[] { 5, 0, 2, 3, 7, 8, 9 }, null, "0,2-3,5,7-9")]
    [InlineData(new[] { 4 }, 1, "4%1")]
    public void Array_specs_compress_indices_into_ranges(int[] indices, int? max, string expected) =>
        Assert.Equal(expected, SlurmSweepRunner.ArraySpec(indices, max));

    [Fact]
    public void The_sbatch_arguments_carry_the_array_requeue_signal_and_the_slurm_section()
    {
        string dir = Path.Combine(_files.Root, "my sweep");
        var folder = SweepFolder.Create(SweepLoader.LoadFile(_files.Write("s.yaml", """
            preset: point_goal
            grid: {her.her_ratio: [0.0, 0.5, 1.0]}
            seeds: [1, 2]
            slurm: {partition: debug, cpus_per_task: 2, mem: 1G, time: '10:00', max_concurrent: 3, signal_seconds: 90, sbatch_args: ['--qos=short']}
            """)), dir);
        var args = SlurmSweepRunner.SubmitArguments(folder, [0, 1, 2, 4, 5], "/x/sweep.sbatch");
        Assert.Equal(
        [
            "--parsable", "--array=0-2,4-5%3", "--requeue", "--job-name=hertools-my sweep", "--chdir=" + dir,
            "--output=" + Path.Combine(dir, "slurm", "%A_%a.out"), "--open-mode=append", "--cpus-per-task=2",
            "--signal=B:TERM@90", "--partition=debug", "--mem=1G", "--time=10:00", "--qos=short", "/x/sweep.sbatch",
        ], args);
    }

    [Fact]
    public void The_batch_script_execs_her_tools_sweep_task_for_its_array_index()
    {
        string dir = Path.Combine(_files.Root, "it's here");
        var folder = SweepFolder.Create(SweepLoader.LoadFile(_files.Write("s.yaml", "preset: point_goal\n")), dir);
        string script = SlurmSweepRunner.Script(folder, ["/usr/bin/dotnet", "/opt/her tools/her-tools.dll"]);
        Assert.StartsWith("#!/bin/bash\n", script);
        Assert.EndsWith($"\nexec '/usr/bin/dotnet' '/opt/her tools/her-tools.dll' sweep task '{dir.Replace("'", "'\\''")}' \"$SLURM_ARRAY_TASK_ID\"\n", script);
    }
}
