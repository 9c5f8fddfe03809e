using System.Collections.Concurrent;
using HerTools.Core.Training;

namespace HerTools.PowerShell;

/// <summary>
/// Carries progress from the training thread to the cmdlet's thread: PowerShell allows <c>WriteProgress</c> and
/// <c>WriteVerbose</c> only from the pipeline thread, while the engine reports from the thread it trains on.
/// </summary>
internal sealed class QueuedProgress : IProgress<TrainingProgress>, IDisposable
{
    private readonly BlockingCollection<TrainingProgress> _queue = new();

    public void Report(TrainingProgress value)
    {
        // After Complete() the engine has returned; a late report has nowhere to go.
        try { _queue.TryAdd(value); } catch (InvalidOperationException) { }
    }

    /// <summary>Called by the training thread when it returns or throws: ends <see cref="Drain"/>.</summary>
    public void Complete() => _queue.CompleteAdding();

    /// <summary>Every report in order, blocking until <see cref="Complete"/>.</summary>
    public IEnumerable<TrainingProgress> Drain() => _queue.GetConsumingEnumerable();

    public void Dispose() => _queue.Dispose();
}
