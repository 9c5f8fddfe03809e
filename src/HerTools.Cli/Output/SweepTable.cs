using System.Globalization;
using HerTools.Core.Sweeps;

namespace HerTools.Cli.Output;

/// <summary>A sweep's runs as a table, and one run as a line. A search's runs also show their rung, score and decision.</summary>
internal static class SweepTable
{
    public static void Write(TextWriter output, IReadOnlyList<SweepRunStatus> statuses)
    {
        bool search = statuses.Any(s => s.Rung is not null);
        string[] headers = ["#", "RUN", "STATUS", "STEPS", "EVAL", "BEST", "TO THRESHOLD", "SLURM"];
        var table = new TextTable([.. headers, .. search ? new[] { "RUNG", "SCORE", "DECISION" } : [], "ERROR"]);
        foreach (var s in statuses)
        {
            string[] cells = [s.Index.ToString(CultureInfo.InvariantCulture), s.RunId, SweepFolder.StateName(s.State), Format.Count(s.Timesteps),
                Format.Rate(s.FinalEvalSuccessRate), Format.Rate(s.BestEvalSuccessRate),
                s.StepsToThreshold is long t ? Format.Count(t) : "-", s.SchedulerState is null ? "-" : $"{s.SlurmJobId} {s.SchedulerState}"];
            string[] searchCells = search
                ? [s.Rung is int r ? $"{r} ({Format.Count(s.RungBudget ?? 0)})" : "-", s.Score is double score ? Score(score) : "-", Decision(s.Decision)]
                : [];
            table.Add([.. cells, .. searchCells, s.Error ?? ""]);
        }
        table.Write(output);
    }

    public static string Line(SweepRunStatus s) =>
        $"{s.RunId}: {SweepFolder.StateName(s.State)} at {Format.Count(s.Timesteps)} steps, eval {Format.Rate(s.FinalEvalSuccessRate)}"
        + (s.Error is null ? "" : $" ({s.Error})");

    /// <summary>What a search's table says of its outcome: the rung, and the chosen run's configuration.</summary>
    public static string? SearchSummary(IReadOnlyList<SweepRunStatus> statuses)
    {
        if (statuses.All(s => s.Rung is null)) return null;
        var chosen = statuses.Where(s => s.Decision == SearchDecision.Chosen).ToList();
        if (chosen.Count > 0)
            return $"Chosen: {string.Join(", ", chosen[0].Point.Select(o => o.Text))} (score {Score(chosen[0].Score ?? 0)} at " +
                $"{Format.Count(chosen[0].RungBudget ?? 0)} steps; runs {string.Join(", ", chosen.Select(c => c.RunId))})";
        var pending = statuses.Where(s => s.Decision == SearchDecision.Pending).ToList();
        return pending.Count > 0
            ? $"Search at rung {pending[0].Rung} ({Format.Count(pending[0].RungBudget ?? 0)} steps): {pending.Count} runs in it"
            : "The search ended without a choice: every trial failed.";
    }

    private static string Score(double score) => score.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Decision(SearchDecision? decision) => decision is { } d ? d.ToString().ToLowerInvariant() : "-";
}
