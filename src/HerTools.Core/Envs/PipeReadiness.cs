using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace HerTools.Core.Envs;

/// <summary>
/// Waits a little for a pipe to have something to read, polling it (<c>poll(2)</c> with no timeout) instead of
/// blocking. An environment process answers a step or a compute in tens of microseconds; a thread that blocks for the
/// answer lets its processor go idle, and waking it costs about as much again (more on a virtual machine), on the
/// critical path of every step. Polling first took 20 microseconds off a step's round trip through the Python adapter
/// and 10 off a compute's (point_goal preset, 2-core VM). Unix only: elsewhere it reports "not yet" at once.
/// </summary>
internal static partial class PipeReadiness
{
    private const short PollIn = 0x1; // POLLIN, the same on Linux and macOS
    private const int Interrupted = 4; // EINTR
    private static bool s_available = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>Polls <paramref name="pipe"/> until it can be read without blocking (data, or its other end closed) or
    /// <paramref name="maxWaitTicks"/> (<see cref="Stopwatch"/> ticks) have passed, yielding the processor between polls.</summary>
    /// <returns>Whether it became readable; false also when polling is not available here (the caller then blocks).</returns>
    public static unsafe bool WaitReadable(SafePipeHandle pipe, long maxWaitTicks)
    {
        if (!s_available) return false;
        var request = new PollFd { Fd = (int)pipe.DangerousGetHandle(), Events = PollIn };
        long end = Stopwatch.GetTimestamp() + maxWaitTicks;
        try
        {
            do
            {
                int ready = Poll(&request, 1, 0);
                if (ready > 0) return true;
                if (ready < 0 && Marshal.GetLastPInvokeError() != Interrupted) return false;
                Thread.Yield(); // a child on this processor gets to answer
            } while (Stopwatch.GetTimestamp() < end);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            s_available = false;
        }
        return false;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* descriptors, nuint count, int timeoutMilliseconds);
}
