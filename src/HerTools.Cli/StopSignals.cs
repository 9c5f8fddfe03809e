using System.Runtime.InteropServices;

namespace HerTools.Cli;

/// <summary>
/// Turns Ctrl+C and SIGTERM into one <see cref="CancellationToken"/> the engine honours: training writes a
/// checkpoint and returns Stopped (exit code 130). A second signal while stopping falls through to the default
/// action and ends the process at once.
/// </summary>
/// <remarks>
/// Ctrl+C is taken through <see cref="Console.CancelKeyPress"/>, which on Unix is itself a SIGINT
/// <see cref="PosixSignalRegistration"/> (and Ctrl+C/Ctrl+Break on Windows). Registering SIGINT a second time
/// would run both handlers for one key press, and the second would look like the "quit now" press.
/// SIGTERM (what <c>kill</c>, Slurm and container runtimes send) gets its own registration.
/// </remarks>
internal sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly TextWriter _error;
    private readonly PosixSignalRegistration _sigterm;
    private int _requests;

    public StopSignals(TextWriter error)
    {
        _error = error;
        Console.CancelKeyPress += OnCancelKeyPress;
        _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => context.Cancel = RequestStop("SIGTERM"));
    }

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        Console.CancelKeyPress -= OnCancelKeyPress;
        _sigterm.Dispose();
        _stop.Dispose();
    }

    private void OnCancelKeyPress(object? sender, ConsoleCancelEventArgs e) => e.Cancel = RequestStop("Ctrl+C");

    /// <summary>True when this request was taken as a clean stop (so the default action must not run).</summary>
    private bool RequestStop(string what)
    {
        if (Interlocked.Increment(ref _requests) > 1) return false;
        _error.WriteLine();
        _error.WriteLine($"her-tools: {what}: stopping after a checkpoint (send it again to quit at once)");
        _stop.Cancel();
        return true;
    }
}
