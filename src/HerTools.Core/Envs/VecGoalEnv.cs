using System.Runtime.ExceptionServices;

namespace HerTools.Core.Envs;

/// <summary>
/// Copies of one environment stepped in lockstep (Stable-Baselines3's <c>VecEnv</c>, without its automatic reset): one
/// action row per copy in, one <see cref="StepResult"/> per copy out, in copy order. When every copy is an
/// <see cref="IThreadSafeEnv"/> and there are several, they are stepped (and reset) concurrently on worker threads;
/// each copy only touches its own state and its result goes to its own slot, so what comes back is the same whatever
/// the threads' timing, and a failure is reported for the lowest copy that failed.
/// </summary>
internal sealed class VecGoalEnv
{
    private readonly IGoalEnv[] _copies;
    private readonly Exception?[] _failures;

    public VecGoalEnv(IReadOnlyList<IGoalEnv> copies)
    {
        ArgumentNullException.ThrowIfNull(copies);
        if (copies.Count < 1) throw new ArgumentException("needs at least one environment", nameof(copies));
        _copies = [.. copies];
        _failures = new Exception?[_copies.Length];
        ActionSize = _copies[0].ActionSpace.Size;
        SteppedConcurrently = _copies.Length > 1 && _copies.All(c => c is IThreadSafeEnv);
        _stepCopy = StepCopy;
        _resetCopy = ResetCopy;
    }

    public int Count => _copies.Length;
    public IGoalEnv this[int copy] => _copies[copy];
    public int ActionSize { get; }

    /// <summary>Whether the copies are stepped on worker threads (several copies, each an <see cref="IThreadSafeEnv"/>).</summary>
    public bool SteppedConcurrently { get; }

    /// <summary>Steps copies 0..<paramref name="count"/>-1, copy i with row i of <paramref name="actions"/>, into
    /// <paramref name="results"/>[i].</summary>
    public void Step(int count, float[] actions, StepResult[] results)
    {
        CheckCount(count);
        _actions = actions;
        _results = results;
        if (SteppedConcurrently && count > 1) RunConcurrently(count, _stepCopy);
        else for (int i = 0; i < count; i++) StepCopy(i);
    }

    /// <summary>Resets the copies whose <paramref name="reset"/> flag is set (without a seed: each continues its own
    /// generator), their first observations into <paramref name="observations"/>.</summary>
    public void Reset(bool[] reset, GoalObservation[] observations)
    {
        _reset = reset;
        _observations = observations;
        int count = Math.Min(reset.Length, _copies.Length);
        if (SteppedConcurrently && reset.Count(r => r) > 1) RunConcurrently(count, _resetCopy);
        else for (int i = 0; i < count; i++) ResetCopy(i);
    }

    // The work of one copy, on the arrays of the current call: delegates made once, so a sequential step allocates nothing.
    private float[]? _actions;
    private StepResult[]? _results;
    private bool[]? _reset;
    private GoalObservation[]? _observations;
    private readonly Action<int> _stepCopy, _resetCopy;

    private void StepCopy(int i) => _results![i] = _copies[i].Step(_actions.AsSpan(i * ActionSize, ActionSize));

    private void ResetCopy(int i)
    {
        if (_reset![i]) _observations![i] = _copies[i].Reset();
    }

    private void CheckCount(int count)
    {
        if (count < 1 || count > _copies.Length) throw new ArgumentOutOfRangeException(nameof(count), count, $"must be in [1, {_copies.Length}]");
    }

    private void RunConcurrently(int count, Action<int> work)
    {
        Array.Clear(_failures);
        Parallel.For(0, count, i =>
        {
            try { work(i); }
            catch (Exception e) { _failures[i] = e; }
        });
        foreach (var failure in _failures)
            if (failure is not null) ExceptionDispatchInfo.Capture(failure).Throw();
    }
}
