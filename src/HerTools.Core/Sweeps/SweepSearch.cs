using HerTools.Core.Metrics;

namespace HerTools.Core.Sweeps;

/// <summary>
/// Successive halving over a sweep's runs (the file's <c>search:</c>): the rule, and the controller's steps that the
/// local and Slurm backends drive. Every trial trains to the first rung's budget; when every run of a rung is in (done at
/// the rung's budget, or failed), the rung is decided: each trial is scored by the metric of its evaluation at that budget
/// (the mean over its runs), the best max(1, floor(n / reduction_factor)) are promoted and continue from their checkpoint
/// to the next budget (the engine's exact resume: a promoted run equals the same run trained straight), the others stop.
/// The best trial of the last rung is the choice. Rungs are decided one after the other, never on partial results, so the
/// outcome depends on the runs alone, not on which finished first; decisions live in <see cref="SearchState"/>.
/// </summary>
public static class SweepSearch
{
    /// <summary>The trials: one per configuration (its runs one per seed) with seeds aggregated, else one per run.</summary>
    public static IReadOnlyList<SearchTrial> Trials(SweepFolder folder)
    {
        var options = Options(folder);
        if (options.Seeds == SearchSeedMode.Separate) return [.. folder.Runs.Select(r => new SearchTrial(r.Index, [r.Index]))];
        // Runs are numbered seeds innermost, so a configuration's runs are consecutive.
        int seeds = folder.Definition.Seeds.Count;
        return [.. folder.Runs.GroupBy(r => r.Index / seeds).Select(g => new SearchTrial(g.Key, [.. g.Select(r => r.Index)]))];
    }

    /// <summary>The rung being trained now; null once the search has ended (its last rung decided, or no trial left).</summary>
    public static SearchRung? CurrentRung(SweepFolder folder, SearchState state)
    {
        var options = Options(folder);
        int k = state.Rungs.Count;
        if (k >= options.Rungs.Count) return null;
        var trials = Trials(folder);
        if (k == 0) return new SearchRung(0, options.Rungs[0], trials);
        var promoted = state.Rungs[^1].Trials.Where(t => t.Decision == SearchDecision.Promoted).Select(t => trials[t.Trial]).ToList();
        return promoted.Count == 0 ? null : new SearchRung(k, options.Rungs[k], promoted);
    }

    /// <summary>True when the run has nothing left to do at <paramref name="budget"/>: done at it (or beyond), or failed.</summary>
    public static bool IsIn(SweepRunStatus status, long budget) =>
        status.State == SweepRunState.Failed || (status.State == SweepRunState.Done && status.Timesteps >= budget);

    /// <summary>The budget a run trains to now: its rung's, if its trial is in the rung being trained; null when the search
    /// has no more training for it (stopped, failed, or the search ended).</summary>
    public static long? TargetBudget(SweepFolder folder, SweepRun run)
    {
        var rung = CurrentRung(folder, SearchState.Read(folder.Directory));
        return rung is not null && rung.Runs.Contains(run.Index) ? rung.Budget : null;
    }

    /// <summary>
    /// Decides every rung whose runs are all in, in order, writing <c>search.json</c> after each; returns the state. Safe
    /// to call at any time and from any front end: a rung is decided once, from its runs' logs alone.
    /// </summary>
    /// <param name="folder">The sweep.</param>
    /// <param name="statuses">Every run's status (from <see cref="SweepFolder.ReadStatus"/>, with the queue for Slurm).</param>
    public static SearchState Advance(SweepFolder folder, IReadOnlyList<SweepRunStatus> statuses)
    {
        var state = SearchState.Read(folder.Directory);
        while (CurrentRung(folder, state) is { } rung && rung.Runs.All(i => IsIn(statuses[i], rung.Budget)))
        {
            state = state with { Rungs = [.. state.Rungs, Decide(folder, rung, statuses)] };
            if (state.Rungs.Count == Options(folder).Rungs.Count)
                state = state with { ChosenTrial = state.Rungs[^1].Trials.FirstOrDefault(t => t.Decision == SearchDecision.Chosen)?.Trial };
            state.Write(folder.Directory);
        }
        return state;
    }

    /// <summary>Scores a rung's trials and ranks them: by the metric in its direction, then the higher mean return, then the
    /// lower trial number; the first <c>keep</c> are promoted (at the last rung, the first is chosen). A trial with a failed
    /// run has no score and goes no further.</summary>
    internal static SearchRungRecord Decide(SweepFolder folder, SearchRung rung, IReadOnlyList<SweepRunStatus> statuses)
    {
        var options = Options(folder);
        bool last = rung.Rung == options.Rungs.Count - 1;
        int keep = last ? 1 : Math.Max(1, rung.Trials.Count / options.ReductionFactor);
        var results = rung.Trials.Select(t => Score(t, rung.Budget, statuses, options.Metric)).ToList();
        double sign = options.Direction == SearchDirection.Max ? -1 : 1;
        var ranked = results.Where(r => r.Score is not null)
            .OrderBy(r => sign * r.Score!.Value).ThenByDescending(r => r.TieBreak).ThenBy(r => r.Trial)
            .Select((r, place) => r with
            {
                Decision = place < keep
                    ? (last ? SearchDecision.Chosen : SearchDecision.Promoted)
                    : (last ? SearchDecision.Finished : SearchDecision.Stopped),
            });
        return new SearchRungRecord
        {
            Rung = rung.Rung, Budget = rung.Budget, Keep = keep,
            Trials = [.. ranked, .. results.Where(r => r.Score is null).OrderBy(r => r.Trial)],
        };
    }

    private static SearchTrialResult Score(SearchTrial trial, long budget, IReadOnlyList<SweepRunStatus> statuses, string metric)
    {
        var failed = new SearchTrialResult { Trial = trial.Index, Runs = trial.Runs, Decision = SearchDecision.Failed };
        double score = 0, tieBreak = 0;
        foreach (int index in trial.Runs)
        {
            var status = statuses[index];
            if (status.State == SweepRunState.Failed) return failed with { Error = $"{status.RunId}: {status.Error}" };
            // Training always evaluates at the end of its budget, and rungs fall on evaluation steps: this is that evaluation.
            EvalRow? row;
            try { row = CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(status.RunDirectory)).LastOrDefault(r => r.Timesteps <= budget); }
            catch (MetricsFormatException e) { return failed with { Error = $"{status.RunId}: {e.Message}" }; }
            if (row is null) return failed with { Error = $"{status.RunId}: no evaluation at or before step {budget} in {RunFiles.Eval}" };
            score += metric switch
            {
                SweepSearchOptions.MeanReturn => row.MeanReturn,
                SweepSearchOptions.MeanFinalDistance => row.MeanFinalDistance,
                _ => row.SuccessRate,
            };
            tieBreak += row.MeanReturn;
        }
        return failed with { Score = score / trial.Runs.Count, TieBreak = tieBreak / trial.Runs.Count, Decision = SearchDecision.Pending };
    }

    /// <summary>Adds each run's rung, rung budget, score and decision (its trial's, at the last rung it entered).</summary>
    internal static List<SweepRunStatus> Annotate(SweepFolder folder, List<SweepRunStatus> statuses)
    {
        var state = SearchState.Read(folder.Directory);
        var byTrial = new Dictionary<int, (int Rung, long Budget, double? Score, SearchDecision Decision)>();
        foreach (var rung in state.Rungs)
            foreach (var t in rung.Trials) byTrial[t.Trial] = (rung.Rung, rung.Budget, t.Score, t.Decision);
        if (CurrentRung(folder, state) is { } current)
            foreach (var t in current.Trials) byTrial[t.Index] = (current.Rung, current.Budget, null, SearchDecision.Pending);
        var trialOf = Trials(folder).SelectMany(t => t.Runs.Select(r => (Run: r, Trial: t.Index))).ToDictionary(p => p.Run, p => p.Trial);
        return [.. statuses.Select(s => byTrial.TryGetValue(trialOf[s.Index], out var d)
            ? s with { Rung = d.Rung, RungBudget = d.Budget, Score = d.Score, Decision = d.Decision }
            : s)];
    }

    private static SweepSearchOptions Options(SweepFolder folder) =>
        folder.Definition.Search ?? throw new InvalidOperationException($"{folder.Directory} is not a search (its sweep file has no 'search:')");
}
