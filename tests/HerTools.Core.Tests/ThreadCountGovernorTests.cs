using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>
/// The decisions of <c>threads: 0</c> during a run, fed with made-up update durations: windows of 10 updates, a
/// look at the other counts every 100 updates at first, doubling to at most 400 when nothing faster turns up.
/// </summary>
public class ThreadCountGovernorTests
{
    private static ThreadCountGovernor New(int initial = 2, int max = 2) =>
        new(initial, max, window: 10, firstInterval: 100, maxInterval: 400, degradedShare: 0.6, degradedWindows: 2);

    /// <summary>Records <paramref name="updates"/> updates of <paramref name="seconds"/> each; the counts it switched to.</summary>
    private static List<int> Feed(ThreadCountGovernor governor, int updates, double seconds)
    {
        var changes = new List<int>();
        for (int i = 0; i < updates; i++)
            if (governor.Record(seconds)) changes.Add(governor.Current);
        return changes;
    }

    [Fact]
    public void On_a_steady_machine_it_tries_the_other_count_for_one_window_then_looks_again_twice_as_late()
    {
        var governor = New();
        Assert.Empty(Feed(governor, 99, 0.001));
        Assert.Equal([1], Feed(governor, 1, 0.001));       // 100 updates: one window on one thread
        Assert.Equal([2], Feed(governor, 10, 0.003));      // slower there: back to two
        Assert.Null(governor.LastSwitch);
        Assert.Empty(Feed(governor, 199, 0.001));          // the next look comes after 200 updates
        Assert.Equal([1], Feed(governor, 1, 0.001));
        Assert.Equal([2], Feed(governor, 10, 0.003));
        Assert.Empty(Feed(governor, 399, 0.001));          // then 400, the longest interval
        Assert.Equal([1], Feed(governor, 1, 0.001));
        Assert.Equal([2], Feed(governor, 10, 0.003));
        Assert.Empty(Feed(governor, 399, 0.001));          // and 400 again
        Assert.Equal([1], Feed(governor, 1, 0.001));
    }

    [Fact]
    public void A_faster_count_found_while_looking_is_kept_and_said_why()
    {
        var governor = New();
        Feed(governor, 100, 0.001);                        // two threads: 1000 updates/s, then a look at one
        Assert.Equal(1, governor.Current);
        Assert.Empty(Feed(governor, 10, 0.0005));          // 2000 updates/s on one thread: it stays there
        Assert.Equal(1, governor.Current);
        Assert.Equal("threads: auto switched from 2 to 1 (1: 2000 updates/s, 2: 1000 updates/s)", governor.LastSwitch);
        // After a switch the interval starts again from its first value: a look at two threads after 100 updates.
        Assert.Empty(Feed(governor, 99, 0.0005));
        Assert.Equal([2], Feed(governor, 1, 0.0005));
    }

    [Fact]
    public void A_count_within_ten_percent_of_the_kept_one_does_not_replace_it()
    {
        var governor = New();
        Feed(governor, 100, 0.001);                        // two threads: 1000 updates/s
        Assert.Equal([2], Feed(governor, 10, 0.00095));    // one thread: 1053 updates/s, not 10% faster: back to two
        Assert.Null(governor.LastSwitch);
    }

    [Fact]
    public void A_rate_that_falls_well_below_the_chosen_one_for_two_windows_brings_a_look_at_once()
    {
        var governor = New();
        Feed(governor, 10, 0.001);                         // first window: 1000 updates/s is what two threads give
        Assert.Empty(Feed(governor, 10, 0.01));            // 100 updates/s once: maybe a hiccup
        Assert.Equal([1], Feed(governor, 10, 0.01));       // twice: contention, try one thread now
        Assert.Empty(Feed(governor, 10, 0.004));           // 250 updates/s beats 100: keep one thread
        Assert.Equal(1, governor.Current);
        Assert.Equal("threads: auto switched from 2 to 1 (1: 250 updates/s, 2: 100 updates/s)", governor.LastSwitch);
    }

    [Fact]
    public void A_slower_window_above_the_threshold_or_slow_windows_apart_wait_for_the_interval()
    {
        var governor = New();
        Feed(governor, 10, 0.001);
        Assert.Empty(Feed(governor, 50, 0.0015));          // 667 updates/s: above 60% of 1000, no early look
        Assert.Empty(Feed(governor, 10, 0.01));            // slow, fast, slow: never two in a row
        Assert.Empty(Feed(governor, 10, 0.001));
        Assert.Empty(Feed(governor, 10, 0.01));
        Assert.Equal([1], Feed(governor, 10, 0.001));      // the interval (100 updates) brings the look
    }

    [Fact]
    public void With_more_cores_it_tries_every_other_count_and_keeps_the_fastest()
    {
        var governor = New(initial: 2, max: 4);
        Assert.Equal([1], Feed(governor, 100, 0.001));
        Assert.Equal([3], Feed(governor, 10, 0.002));
        Assert.Equal([4], Feed(governor, 10, 0.0008));
        Assert.Equal([3], Feed(governor, 10, 0.0009));     // 3 threads (1250/s) beat 4 (1111/s), 2 (1000/s) and 1 (500/s)
        Assert.Equal(3, governor.Current);
        Assert.StartsWith("threads: auto switched from 2 to 3", governor.LastSwitch);
    }

    [Fact]
    public void One_core_never_changes_anything()
    {
        var governor = New(initial: 1, max: 1);
        Assert.Empty(Feed(governor, 10, 0.001));
        Assert.Empty(Feed(governor, 1000, 1.0));
        Assert.Equal(1, governor.Current);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadCountGovernor(3, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadCountGovernor(0, 2));
        Assert.Throws<ArgumentException>(() => new ThreadCountGovernor(1, 2, window: 100, firstInterval: 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ThreadCountGovernor(1, 2, degradedWindows: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => New().Record(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => New().Record(-1));
    }
}
