using System.Diagnostics;
using System.Globalization;
using HerTools.Core.Metrics;
using HerTools.Core.Sweeps;

namespace HerTools.Bench;

/// <summary>
/// <c>search [--budget N] [--throttle N]</c>: the same 8 configurations x 2 seeds on PointGoal-v0 (<c>ddpg.actor_lr</c> x
/// <c>her.n_sampled_goal</c>, the point_goal preset otherwise), once as a grid (every run to N = 4500 steps) and once as a
/// successive-halving search (rungs N/9, N/3, N; reduction factor 2: 28/72 of the grid's steps), both locally. Prints
/// <c>search_env_steps_total=</c> and <c>grid_env_steps_total=</c> (the
/// environment steps each trained), their ratio, the configuration each chose (the best mean evaluation success over the
/// seeds at N steps, the higher mean return breaking ties, then the lower configuration) and <c>search_same_choice=</c>.
/// A promoted run continues exactly, so the search's runs at N steps equal the grid's: the choices can only differ when
/// the grid's best configuration was stopped at an earlier rung.
/// </summary>
public static class SearchBenchmark
{
    private const string Space = """
        grid:
          ddpg.actor_lr: [0.0001, 0.001, 0.003, 0.01]
          her.n_sampled_goal: [1, 4]
        seeds: [0, 1]
        """;

    public static int Run(BenchArgs args)
    {
        long budget = args.Long("budget", 4500);
        int throttle = args.Int("throttle", 2);
        args.EnsureAllUsed();
        if (budget % 2250 != 0) throw new ArgumentException("--budget: a multiple of 2250 (the rungs N/9 and N/3 must fall on evaluations every 250 steps)");

        string root = Path.Combine(Path.GetTempPath(), $"hertools-bench-search-{Guid.NewGuid():N}");
        Directory.CreateDirectory(root);
        try
        {
            string head = $"preset: point_goal\nset:\n  eval.eval_freq: 250\nlocal: {{throttle: {throttle}}}\n{Space}\n";
            string gridFile = Write(root, "grid.yaml", head.Replace("set:\n", $"set:\n  total_timesteps: {budget}\n"));
            string searchFile = Write(root, "search.yaml", head + $"search:\n  rungs: [{budget / 9}, {budget / 3}, {budget}]\n  reduction_factor: 2\n");

            var clock = Stopwatch.StartNew();
            var search = SweepFolder.Create(SweepLoader.LoadFile(searchFile), Path.Combine(root, "search"));
            var searched = LocalSweepRunner.Run(search);
            double searchSeconds = clock.Elapsed.TotalSeconds;
            clock.Restart();
            var grid = SweepFolder.Create(SweepLoader.LoadFile(gridFile), Path.Combine(root, "grid"));
            var gridded = LocalSweepRunner.Run(grid);
            double gridSeconds = clock.Elapsed.TotalSeconds;
            if (searched.Concat(gridded).FirstOrDefault(s => s.State != SweepRunState.Done) is { } failed)
                throw new InvalidOperationException($"{failed.RunDirectory}: {failed.State} {failed.Error}");

            long searchSteps = searched.Sum(s => s.Timesteps), gridSteps = gridded.Sum(s => s.Timesteps);
            int searchChoice = SearchState.Read(search.Directory).ChosenTrial
                ?? throw new InvalidOperationException("the search ended without a choice");
            int gridChoice = GridChoice(grid, budget);
            BenchArgs.Print("search_env_steps_total", searchSteps);
            BenchArgs.Print("grid_env_steps_total", gridSteps);
            BenchArgs.Print("search_share_of_grid_steps", (double)searchSteps / gridSteps);
            BenchArgs.Print("search_wall_s", searchSeconds);
            BenchArgs.Print("grid_wall_s", gridSeconds);
            Console.WriteLine($"search_choice={Describe(search, searchChoice)}");
            Console.WriteLine($"grid_choice={Describe(grid, gridChoice)}");
            Console.WriteLine($"search_same_choice={(searchChoice == gridChoice ? "true" : "false")}");
            return 0;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    /// <summary>The search's rule applied to the grid at its one budget: the best mean success over the seeds, then the
    /// higher mean return, then the lower configuration.</summary>
    private static int GridChoice(SweepFolder grid, long budget)
    {
        int seeds = grid.Definition.Seeds.Count;
        return grid.Runs.GroupBy(r => r.Index / seeds).Select(g =>
            {
                var rows = g.Select(r => CsvLog<EvalRow>.ReadAll(RunFiles.EvalPath(grid.RunDirectory(r))).Single(e => e.Timesteps == budget)).ToList();
                return (Config: g.Key, Score: rows.Sum(e => e.SuccessRate) / rows.Count, Return: rows.Sum(e => e.MeanReturn) / rows.Count);
            })
            .OrderByDescending(t => t.Score).ThenByDescending(t => t.Return).ThenBy(t => t.Config).First().Config;
    }

    private static string Describe(SweepFolder folder, int config) =>
        string.Join(",", folder.Runs[config * folder.Definition.Seeds.Count].Point.Select(o => o.Text));

    private static string Write(string root, string name, string text)
    {
        string path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }
}
