using HerTools.Core.Training;

namespace HerTools.Cli.Output;

/// <summary>The block printed when training ends: how it ended, how well it did, and where everything is.</summary>
internal static class TrainingSummary
{
    public static void Write(TextWriter output, TrainingResult result)
    {
        string status = result.Status == TrainingStatus.Completed ? "completed" : "stopped";
        output.WriteLine($"Training {status} after {Format.Duration(result.Duration)} ({Format.Count(result.Episodes)} episodes).");
        var table = new TextTable("field", "value");
        table.Add("status", status);
        table.Add("timesteps", $"{result.Timesteps}/{result.Config.TotalTimesteps}");
        table.Add("eval success", $"final {Format.Rate(result.FinalEvalSuccessRate)}, best {Format.Rate(result.BestEvalSuccessRate)}");
        table.Add("steps/s", Format.Number(result.StepsPerSecond, "0.0"));
        table.Add("run folder", result.RunDirectory);
        table.Add("progress.csv", result.ProgressCsvPath);
        table.Add("eval.csv", result.EvalCsvPath);
        table.Add("last checkpoint", result.LastCheckpointPath ?? "-");
        table.Add("best checkpoint", result.BestCheckpointPath ?? "-");
        table.Write(output, header: false, indent: "  ");
        if (result.Status == TrainingStatus.Stopped && result.LastCheckpointPath is not null)
            output.WriteLine($"Resume with: her-tools train --resume {Quote(result.LastCheckpointPath)}");
    }

    private static string Quote(string path) => path.Contains(' ') ? $"\"{path}\"" : path;
}
