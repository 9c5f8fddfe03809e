using System.Globalization;

namespace HerTools.Core.Training;

/// <summary>
/// Keeps <c>threads: 0</c> (auto) right for the whole run, not only at its start. The probe picks a count once, but
/// the load on a machine changes while a run trains: on this 2-core VM two spinning OpenMP threads ran the same update
/// at 90-125 updates/s during a stretch of outside load, against 264 on one thread and 400-450 on two when idle.
/// So the run's own updates are timed in windows; every so often, and at once when two windows in a row fall well
/// below what the current count gave when it was chosen, each other count gets one window, and the fastest count is
/// kept if it beats the current one by 10%. The first look comes soon (a count chosen during a passing dip is corrected within about a thousand
/// updates); when a look finds nothing better the next comes twice as late, up to a limit, so a steady machine pays
/// one window in tens of thousands of updates. Pure bookkeeping on durations: the caller times its updates and applies <see cref="Current"/>.
/// </summary>
internal sealed class ThreadCountGovernor
{
    private readonly int _maxThreads;
    private readonly int _window;
    private readonly long _firstInterval, _maxInterval;
    private readonly double _degradedShare;
    // A count must beat the kept one by this factor to replace it: two counts within noise of each other
    // would otherwise trade places at every look, and each switch starts the intervals over.
    private const double SwitchMargin = 1.1;
    private readonly int _degradedWindows;
    private int _slowWindowsInARow;

    private long _interval;
    private long _updatesSinceLook;
    private double _chosenRate = double.NaN;   // rate of the current count when it was (re)chosen
    private double _currentRate = double.NaN;  // rate of the current count in its latest window
    private int _windowUpdates;
    private double _windowSeconds;
    private int _homeThreads;                  // the count kept while other counts are tried
    private int _exploring;                    // 0: not exploring; else the count being tried
    private readonly Dictionary<int, double> _tried = [];

    /// <param name="initialThreads">The probe's choice.</param>
    /// <param name="maxThreads">Largest count to try (the cores).</param>
    /// <param name="window">Updates per measurement window.</param>
    /// <param name="firstInterval">Updates between looks at other counts, at first and after every switch.</param>
    /// <param name="maxInterval">Longest interval the doubling reaches.</param>
    /// <param name="degradedShare">Windows slower than this share of the chosen rate trigger a look at once...</param>
    /// <param name="degradedWindows">... when this many come in a row (one slow window may be a passing hiccup).</param>
    public ThreadCountGovernor(int initialThreads, int maxThreads, int window = 100, long firstInterval = 1_000,
        long maxInterval = 64_000, double degradedShare = 0.6, int degradedWindows = 2)
    {
        if (maxThreads < 1) throw new ArgumentOutOfRangeException(nameof(maxThreads), maxThreads, "must be at least 1");
        if (initialThreads < 1 || initialThreads > maxThreads)
            throw new ArgumentOutOfRangeException(nameof(initialThreads), initialThreads, $"must be in [1, {maxThreads}]");
        if (window < 1) throw new ArgumentOutOfRangeException(nameof(window), window, "must be at least 1");
        if (firstInterval < window || maxInterval < firstInterval)
            throw new ArgumentException($"need window <= firstInterval <= maxInterval, got {window}, {firstInterval}, {maxInterval}");
        if (!(degradedShare > 0 && degradedShare < 1)) throw new ArgumentOutOfRangeException(nameof(degradedShare), degradedShare, "must be in (0, 1)");
        if (degradedWindows < 1) throw new ArgumentOutOfRangeException(nameof(degradedWindows), degradedWindows, "must be at least 1");
        _degradedWindows = degradedWindows;
        _maxThreads = maxThreads;
        _window = window;
        _firstInterval = _interval = firstInterval;
        _maxInterval = maxInterval;
        _degradedShare = degradedShare;
        Current = _homeThreads = initialThreads;
    }

    /// <summary>The thread count the next update should run with.</summary>
    public int Current { get; private set; }

    /// <summary>What the last switch of the kept count found, for a progress message; null before any. A new string
    /// each time, so a caller can tell a new switch by reference.</summary>
    public string? LastSwitch { get; private set; }

    /// <summary>Records one update that took <paramref name="seconds"/> at <see cref="Current"/> threads; true when
    /// <see cref="Current"/> changed (to try another count, to go back, or to switch), so the caller applies it.</summary>
    public bool Record(double seconds)
    {
        if (!(seconds >= 0)) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "must be a non-negative duration");
        _windowSeconds += seconds;
        if (++_windowUpdates < _window) return false;
        double rate = _windowUpdates / Math.Max(_windowSeconds, 1e-12);
        _windowUpdates = 0;
        _windowSeconds = 0;
        int before = Current;
        if (_exploring == 0) EndHomeWindow(rate);
        else EndTrialWindow(rate);
        return Current != before;
    }

    private void EndHomeWindow(double rate)
    {
        _currentRate = rate;
        if (double.IsNaN(_chosenRate)) _chosenRate = rate;
        _updatesSinceLook += _window;
        _slowWindowsInARow = rate < _degradedShare * _chosenRate ? _slowWindowsInARow + 1 : 0;
        bool degraded = _slowWindowsInARow >= _degradedWindows;
        if (_maxThreads == 1 || (!degraded && _updatesSinceLook < _interval)) return;
        _slowWindowsInARow = 0;
        _tried.Clear();
        TryNext(after: 0);
    }

    private void EndTrialWindow(double rate)
    {
        _tried[_exploring] = rate;
        if (TryNext(after: _exploring)) return;
        // Every other count has had its window: keep the fastest, if it is clearly faster.
        var best = _tried.MaxBy(kv => kv.Value);
        if (!(best.Value > SwitchMargin * _currentRate)) best = new KeyValuePair<int, double>(_homeThreads, _currentRate);
        _exploring = 0;
        _updatesSinceLook = 0;
        if (best.Key != _homeThreads)
        {
            LastSwitch = string.Create(CultureInfo.InvariantCulture,
                $"threads: auto switched from {_homeThreads} to {best.Key} ({Describe()})");
            _homeThreads = best.Key;
            _interval = _firstInterval;
        }
        else
        {
            // Nothing faster: the current rate is the new normal, and the next look comes later.
            _interval = Math.Min(_interval * 2, _maxInterval);
        }
        _chosenRate = best.Value;
        _currentRate = best.Value;
        Current = _homeThreads;
    }

    // Moves to the next count above `after` other than the home count; false when there is none left.
    private bool TryNext(int after)
    {
        for (int threads = after + 1; threads <= _maxThreads; threads++)
        {
            if (threads == _homeThreads) continue;
            _exploring = threads;
            Current = threads;
            return true;
        }
        return false;
    }

    private string Describe() => string.Join(", ",
        _tried.Append(new KeyValuePair<int, double>(_homeThreads, _currentRate)).OrderBy(kv => kv.Key)
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}: {kv.Value:0} updates/s")));
}
