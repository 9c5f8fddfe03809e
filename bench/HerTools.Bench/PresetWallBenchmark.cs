using System.Diagnostics;
using System.Globalization;

namespace HerTools.Bench;

/// <summary>
/// <c>preset-wall [--preset NAME] [--repeats R] [--her-tools PATH]</c>: the whole <c>her-tools train --preset NAME</c>
/// as a process (start, TorchSharp loading, training, every evaluation, checkpoints), as a user runs it.
/// Prints <c>preset_wall_s</c> (the median of R runs), <c>preset_wall_s_min</c> and <c>preset_final_success</c>
/// (the median run's last evaluation success rate).
/// </summary>
public static class PresetWallBenchmark
{
    public static int Run(BenchArgs args)
    {
        string preset = args.String("preset", "point_goal");
        int repeats = args.Int("repeats", 3);
        string tool = args.String("her-tools", "");
        args.EnsureAllUsed();
        if (repeats < 1) throw new ArgumentException("repeats must be positive");
        if (tool.Length == 0) tool = SweepBenchmark.FindHerTools();

        string root = Path.Combine(Path.GetTempPath(), $"hertools-preset-wall-{Guid.NewGuid():N}");
        var runs = new List<(double Wall, double Success)>();
        try
        {
            for (int i = 0; i < repeats; i++)
            {
                string output = Path.Combine(root, $"run{i}");
                var start = new ProcessStartInfo(tool, ["train", "--preset", preset, "--output", output])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                };
                long started = Stopwatch.GetTimestamp();
                using var process = Process.Start(start)!;
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                process.WaitForExit();
                double wall = Stopwatch.GetElapsedTime(started).TotalSeconds;
                if (process.ExitCode != 0) throw new InvalidOperationException($"her-tools exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
                runs.Add((wall, LastSuccess(Path.Combine(output, "eval.csv"))));
            }
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }

        var ordered = runs.OrderBy(r => r.Wall).ToList();
        var median = ordered[ordered.Count / 2];
        BenchArgs.Print("preset_wall_s", median.Wall);
        BenchArgs.Print("preset_wall_s_min", ordered[0].Wall);
        BenchArgs.Print("preset_final_success", median.Success);
        return 0;
    }

    private static double LastSuccess(string evalCsv)
    {
        var lines = File.ReadAllLines(evalCsv);
        int column = Array.IndexOf(lines[0].Split(','), "success_rate");
        return double.Parse(lines[^1].Split(',')[column], CultureInfo.InvariantCulture);
    }
}
