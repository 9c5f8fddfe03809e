namespace HerTools.Bench;

/// <summary>One entry point for every benchmark: <c>dotnet run -c Release --project bench/HerTools.Bench -- NAME [options]</c>.
/// Each figure is printed as <c>name=value</c> on its own line, units in the name.</summary>
public static class Program
{
    private static readonly Dictionary<string, Func<BenchArgs, int>> Benchmarks = new(StringComparer.Ordinal)
    {
        ["buffer"] = BufferBenchmark.Run,
        ["train-speed"] = TrainSpeedBenchmark.Run,
        ["time-to-success"] = TimeToSuccessBenchmark.Run,
        ["bitflip"] = BitFlipBenchmark.Run,
        ["push2d"] = Push2DBenchmark.Run,
        ["checkpoint"] = CheckpointBenchmark.Run,
        ["memory"] = MemoryBenchmark.Run,
        ["sweep"] = SweepBenchmark.Run,
        ["search"] = SearchBenchmark.Run,
        ["eval-speed"] = EvalSpeedBenchmark.Run,
        ["act-speed"] = ActSpeedBenchmark.Run,
        ["preset-wall"] = PresetWallBenchmark.Run,
        ["env-process"] = ProcessEnvBenchmark.Run,
        ["sleep-env-speed"] = SleepEnvBenchmark.Run,
    };

    public static int Main(string[] args)
    {
        if (args.Length == 0 || !Benchmarks.TryGetValue(args[0], out var run))
        {
            Console.Error.WriteLine($"usage: HerTools.Bench NAME [--option value ...]; NAME one of: {string.Join(", ", Benchmarks.Keys.Order())}");
            return 2;
        }
        return run(new BenchArgs(args.Skip(1).ToArray()));
    }
}
