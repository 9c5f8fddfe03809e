using System.Globalization;

namespace HerTools.Core;

/// <summary>
/// A test-only switch, in the spirit of SQLite's crash tests: <c>HERTOOLS_FAULT=&lt;point&gt;:&lt;n&gt;:&lt;kill|throw&gt;</c>
/// makes the <c>n</c>-th arrival (1-based) at a <see cref="FaultPoint"/> kill the process on the spot (SIGKILL: no cleanup,
/// no flush, what a kill -9 or an OOM kill does) or throw an <see cref="IOException"/> (what a full disk does).
/// Read once, here and nowhere else; unset, every call is one branch on a null field.
/// </summary>
internal static class FaultInjection
{
    /// <summary>The environment variable that arms the switch.</summary>
    public const string Variable = "HERTOOLS_FAULT";

    private static readonly Fault? Armed = Parse(Environment.GetEnvironmentVariable(Variable));
    private static int _arrivals;

    /// <summary>Marks an arrival at <paramref name="point"/> (about <paramref name="path"/>); fires when armed for this one.</summary>
    public static void At(FaultPoint point, string path)
    {
        if (Armed is not { } fault || fault.Point != point) return;
        if (Interlocked.Increment(ref _arrivals) != fault.Arrival) return;
        if (fault.Kill)
        {
            // SIGKILL to itself on Unix (TerminateProcess on Windows): no finally block, no flush, no handler runs.
            System.Diagnostics.Process.GetCurrentProcess().Kill();
            Thread.Sleep(Timeout.Infinite);
        }
        throw new IOException($"{Variable}: injected failure at {point} #{fault.Arrival} ({path})");
    }

    private static Fault? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        string[] parts = text.Split(':');
        if (parts.Length != 3 || !Enum.TryParse(parts[0], ignoreCase: true, out FaultPoint point)
            || !int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int arrival) || arrival < 1
            || parts[2] is not ("kill" or "throw"))
            throw new InvalidOperationException(
                $"{Variable}='{text}': expected <point>:<n>:<kill|throw>, points {string.Join(", ", Enum.GetNames<FaultPoint>())}");
        return new Fault(point, arrival, parts[2] == "kill");
    }

    private sealed record Fault(FaultPoint Point, int Arrival, bool Kill);
}
