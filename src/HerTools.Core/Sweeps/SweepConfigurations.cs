using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Results across seeds: one row per configuration (a point of the search space with all its seeds) in
/// <c>configurations.csv</c>, beside <c>sweep.csv</c> and rebuilt with it: the mean and a 95% interval
/// (<see cref="MeanInterval"/>) over the configuration's runs of the final and the best evaluation success, and of the
/// steps to <c>success_threshold</c> over the runs that reached it.
/// </summary>
public static class SweepConfigurations
{
    public const string FileName = "configurations.csv";

    /// <summary>The configurations of <paramref name="folder"/>, in <c>runs.csv</c> order, from its runs' statuses.</summary>
    public static IReadOnlyList<SweepConfigurationSummary> Summarize(SweepFolder folder, IReadOnlyList<SweepRunStatus> statuses)
    {
        // Runs are numbered seeds innermost: a configuration's runs are consecutive.
        int seeds = folder.Definition.Seeds.Count;
        return [.. statuses.GroupBy(s => s.Index / seeds).Select(g =>
        {
            var runs = g.ToList();
            var evaluated = runs.Where(s => s.FinalEvalSuccessRate is not null).ToList();
            var reached = runs.Where(s => s.StepsToThreshold is not null).Select(s => (double)s.StepsToThreshold!.Value).ToList();
            return new SweepConfigurationSummary
            {
                Index = g.Key, Point = runs[0].Point, Runs = runs.Count, Done = runs.Count(s => s.State == SweepRunState.Done),
                FinalEvalSuccess = MeanInterval.Of([.. evaluated.Select(s => s.FinalEvalSuccessRate!.Value)]),
                BestEvalSuccess = MeanInterval.Of([.. evaluated.Select(s => s.BestEvalSuccessRate!.Value)]),
                ThresholdReached = reached.Count,
                StepsToThreshold = MeanInterval.Of(reached),
            };
        })];
    }

    /// <summary>Writes <c>configurations.csv</c> atomically: <c>configuration</c>, one column per searched key, <c>runs</c>,
    /// <c>done</c>, then mean, 95% low and high of <c>final_eval_success</c> and <c>best_eval_success</c>,
    /// <c>threshold_reached</c> and the same three of <c>steps_to_threshold</c>.</summary>
    public static void Write(SweepFolder folder, IReadOnlyList<SweepConfigurationSummary> configurations)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }))
        {
            csv.WriteField("configuration");
            foreach (string key in folder.Definition.SearchKeys) csv.WriteField(key);
            foreach (string column in (string[])["runs", "done"]) csv.WriteField(column);
            foreach (string name in (string[])["final_eval_success", "best_eval_success"]) WriteIntervalHeader(csv, name);
            csv.WriteField("threshold_reached");
            WriteIntervalHeader(csv, "steps_to_threshold");
            csv.NextRecord();
            foreach (var c in configurations)
            {
                csv.WriteField(c.Index.ToString(CultureInfo.InvariantCulture));
                foreach (var o in c.Point) csv.WriteField(o.Value);
                csv.WriteField(c.Runs.ToString(CultureInfo.InvariantCulture));
                csv.WriteField(c.Done.ToString(CultureInfo.InvariantCulture));
                WriteInterval(csv, c.FinalEvalSuccess);
                WriteInterval(csv, c.BestEvalSuccess);
                csv.WriteField(c.ThresholdReached.ToString(CultureInfo.InvariantCulture));
                WriteInterval(csv, c.StepsToThreshold);
                csv.NextRecord();
            }
        }
        SweepFolder.WriteAtomically(Path.Combine(folder.Directory, FileName), text.ToString());
    }

    private static void WriteIntervalHeader(CsvWriter csv, string name)
    {
        csv.WriteField(name + "_mean");
        csv.WriteField(name + "_low");
        csv.WriteField(name + "_high");
    }

    private static void WriteInterval(CsvWriter csv, MeanInterval? interval)
    {
        csv.WriteField(Number(interval?.Mean));
        csv.WriteField(Number(interval?.Low));
        csv.WriteField(Number(interval?.High));
    }

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}
