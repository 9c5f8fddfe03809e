namespace HerTools.Core.Metrics;

/// <summary>The fixed names of what a run folder holds.</summary>
public static class RunFiles
{
    public const string Config = "config.yaml";
    public const string Progress = "progress.csv";
    public const string Eval = "eval.csv";
    public const string Checkpoints = "checkpoints";

    public static string ConfigPath(string runDirectory) => Path.Combine(runDirectory, Config);
    public static string ProgressPath(string runDirectory) => Path.Combine(runDirectory, Progress);
    public static string EvalPath(string runDirectory) => Path.Combine(runDirectory, Eval);
    public static string CheckpointsPath(string runDirectory) => Path.Combine(runDirectory, Checkpoints);
}
