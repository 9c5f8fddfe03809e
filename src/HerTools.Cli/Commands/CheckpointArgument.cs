using HerTools.Core.Checkpoints;
using HerTools.Core.Runs;

namespace HerTools.Cli.Commands;

/// <summary>What a CHECKPOINT argument may name (a checkpoint folder, its checkpoint.json, or a run folder for
/// its latest checkpoint), turned into a checkpoint folder.</summary>
internal static class CheckpointArgument
{
    /// <exception cref="UsageException">Nothing exists at the path: a typo, exit code 2.</exception>
    /// <exception cref="CheckpointException">The path exists but is no checkpoint and no run with one.</exception>
    public static string Resolve(string pathOrRun)
    {
        if (!Directory.Exists(pathOrRun) && !File.Exists(pathOrRun)) throw new UsageException($"checkpoint not found: {pathOrRun}");
        return RunRecords.ResolveCheckpoint(pathOrRun);
    }
}
