namespace HerTools.Cli;

/// <summary>The exit codes of her-tools; scripts and sweep backends rely on them.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command was right but the work failed: training diverged, a file could not be written, ...</summary>
    public const int RuntimeFailure = 1;
    /// <summary>Bad usage or bad config: unknown option, unknown preset, bad key, missing file. Nothing ran.</summary>
    public const int BadUsage = 2;
    /// <summary>Stopped by Ctrl+C or SIGTERM (128 + SIGINT, as shells report it); a checkpoint was written.</summary>
    public const int Stopped = 130;
}
