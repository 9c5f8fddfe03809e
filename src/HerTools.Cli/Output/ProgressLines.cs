using System.Diagnostics;
using HerTools.Core.Training;

namespace HerTools.Cli.Output;

/// <summary>Plain progress, one line a report, for logs and CI (output redirected or <c>CI=true</c>). Reports closer
/// than <paramref name="minInterval"/> to the last printed one are dropped unless they carry a message or end the run.</summary>
internal sealed class ProgressLines(TextWriter output, TimeSpan minInterval, Func<TimeSpan>? clock = null) : IProgress<TrainingProgress>
{
    private readonly Lock _lock = new();
    private readonly Func<TimeSpan> _clock = clock ?? StartClock();
    private TimeSpan? _lastPrinted;

    public void Report(TrainingProgress value)
    {
        lock (_lock)
        {
            TimeSpan now = _clock();
            bool due = _lastPrinted is not TimeSpan last || now - last >= minInterval;
            if (!due && value.Message is null && value.Timesteps < value.TotalTimesteps) return;
            output.WriteLine(ProgressText.Describe(value));
            _lastPrinted = now;
        }
    }

    private static Func<TimeSpan> StartClock()
    {
        var stopwatch = Stopwatch.StartNew();
        return () => stopwatch.Elapsed;
    }
}
