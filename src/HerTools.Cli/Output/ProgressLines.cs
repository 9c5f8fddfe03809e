using System.Diagnostics;
using HerTools.Core.Training;

namespace HerTools.Cli.Output;

/// <summary>Plain progress, one line a report, for logs and CI (output redirected or <c>CI=true</c>). Reports closer
/// than <paramref name="minInterval"/> to the last printed one are dropped unless they carry a message or first
/// reach the end of the run.</summary>
internal sealed class ProgressLines(TextWriter output, TimeSpan minInterval, Func<TimeSpan>? clock = null) : IProgress<TrainingProgress>
{
    private readonly Lock _lock = new();
    private readonly Func<TimeSpan> _clock = clock ?? StartClock();
    private TimeSpan? _lastPrinted;
    private long _lastPrintedTimesteps = -1;

    public void Report(TrainingProgress value)
    {
        lock (_lock)
        {
            TimeSpan now = _clock();
            bool due = _lastPrinted is not TimeSpan last || now - last >= minInterval;
            bool reachesEnd = value.Timesteps >= value.TotalTimesteps && value.Timesteps != _lastPrintedTimesteps;
            if (!due && value.Message is null && !reachesEnd) return;
            output.WriteLine(ProgressText.Describe(value));
            _lastPrinted = now;
            _lastPrintedTimesteps = value.Timesteps;
        }
    }

    private static Func<TimeSpan> StartClock()
    {
        var stopwatch = Stopwatch.StartNew();
        return () => stopwatch.Elapsed;
    }
}
