using System.Diagnostics;
using System.IO.Pipes;
using HerTools.Core.Envs;

namespace HerTools.Core.Tests;

public sealed class PipeReadinessTests
{
    private static readonly long TwentyMilliseconds = Stopwatch.Frequency / 50;

    // Unix: poll(2). Elsewhere the other branch: the documented fallback to a blocking read.
    [Fact]
    public void An_empty_pipe_is_polled_for_the_time_given_and_one_with_data_or_closed_is_readable_at_once()
    {
        using var reader = new AnonymousPipeServerStream(PipeDirection.In);
        using var writer = new AnonymousPipeClientStream(PipeDirection.Out, reader.ClientSafePipeHandle);

        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            // No poll(2): it says "not yet" at once even with data waiting, and the caller's read blocks as before.
            writer.Write([42]);
            writer.Flush();
            long asked = Stopwatch.GetTimestamp();
            Assert.False(PipeReadiness.WaitReadable(reader.SafePipeHandle, TwentyMilliseconds));
            Assert.True(Stopwatch.GetTimestamp() - asked < TwentyMilliseconds, "it waited where it cannot poll");
            Assert.Equal(42, reader.ReadByte());
            return;
        }

        long started = Stopwatch.GetTimestamp();
        Assert.False(PipeReadiness.WaitReadable(reader.SafePipeHandle, TwentyMilliseconds));
        Assert.True(Stopwatch.GetTimestamp() - started >= TwentyMilliseconds, "it gave up before the time given");

        writer.Write([42]);
        writer.Flush();
        Assert.True(PipeReadiness.WaitReadable(reader.SafePipeHandle, TwentyMilliseconds));
        Assert.Equal(42, reader.ReadByte());
        Assert.False(PipeReadiness.WaitReadable(reader.SafePipeHandle, 0)); // read empty again

        writer.Dispose(); // the only handle of the writing end
        Assert.True(PipeReadiness.WaitReadable(reader.SafePipeHandle, TwentyMilliseconds)); // the end of the pipe is readable too
        Assert.Equal(-1, reader.ReadByte());
    }
}
