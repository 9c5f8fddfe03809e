using System.Diagnostics;
using HerTools.Core.Training;

namespace HerTools.Cli.Output;

/// <summary>A single progress line redrawn in place with <c>\r</c>, for a terminal. At most ten redraws a second:
/// the engine may report far more often than a person can read.</summary>
internal sealed class ProgressBar(TextWriter output, int lineWidth) : IProgress<TrainingProgress>
{
    private const int BarCells = 24;
    private static readonly TimeSpan RedrawInterval = TimeSpan.FromMilliseconds(100);
    private readonly Lock _lock = new();
    private readonly Stopwatch _sinceDraw = new();
    private int _drawnLength;

    public void Report(TrainingProgress value)
    {
        lock (_lock)
        {
            bool done = value.Timesteps >= value.TotalTimesteps;
            if (_sinceDraw.IsRunning && _sinceDraw.Elapsed < RedrawInterval && !done && value.Message is null) return;
            int filled = (int)Math.Round(value.FractionDone * BarCells);
            // The engine's messages would flash by for a tenth of a second; an evaluation's result shows as "success".
            string line = $"[{new string('#', filled)}{new string('-', BarCells - filled)}] {ProgressText.Describe(value, withMessage: false)}";
            if (line.Length > lineWidth) line = line[..lineWidth];
            // Pad over what the previous, longer line left on screen.
            output.Write("\r" + line.PadRight(_drawnLength));
            output.Flush();
            _drawnLength = line.Length;
            _sinceDraw.Restart();
        }
    }

    /// <summary>Ends the line so what follows starts on its own.</summary>
    public void Finish()
    {
        lock (_lock)
        {
            if (_drawnLength > 0) output.WriteLine();
            _drawnLength = 0;
        }
    }
}
