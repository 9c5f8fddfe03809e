using System.Globalization;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Output;

/// <summary>A sweep's runs as a table, and one run as a line.</summary>
internal static class SweepTable
{
    public static void Write(TextWriter output, IReadOnlyList<SweepRunStatus> statuses)
    {
        var table = new TextTable("#", "RUN", "STATUS", "STEPS", "EVAL", "BEST", "TO THRESHOLD", "SLURM", "ERROR");
        foreach (var s in statuses)
            table.Add(s.Index.ToString(CultureInfo.InvariantCulture), s.RunId, SweepFolder.StateName(s.State), Format.Count(s.Timesteps),
                Format.Rate(s.FinalEvalSuccessRate), Format.Rate(s.BestEvalSuccessRate),
                s.StepsToThreshold is long t ? Format.Count(t) : "-", s.SchedulerState is null ? "-" : $"{s.SlurmJobId} {s.SchedulerState}", s.Error ?? "");
        table.Write(output);
    }

    public static string Line(SweepRunStatus s) =>
        $"{s.RunId}: {SweepFolder.StateName(s.State)} at {Format.Count(s.Timesteps)} steps, eval {Format.Rate(s.FinalEvalSuccessRate)}"
        + (s.Error is null ? "" : $" ({s.Error})");
}
