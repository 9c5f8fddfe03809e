namespace HerTools.Cli.Commands;

/// <summary>What a CHECKPOINT argument may name, turned into a checkpoint folder.</summary>
internal static class CheckpointArgument
{
    public static string Resolve(string pathOrRun)
    {
        if (!Directory.Exists(pathOrRun) && !File.Exists(pathOrRun)) throw new UsageException($"checkpoint not found: {pathOrRun}");
        return Path.GetFullPath(pathOrRun);
    }
}
