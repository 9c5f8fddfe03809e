using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>Reports on the calling thread: <see cref="Progress{T}"/> posts to the thread pool, and tests that read
/// per-thread state or stop a run at an exact step need the callback on the thread that reports.</summary>
internal class SynchronousProgress<T>(Action<T> onReport) : IProgress<T>
{
    public void Report(T value) => onReport(value);
}

/// <summary>The engine's training progress, reported on the training thread.</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> onReport) : SynchronousProgress<TrainingProgress>(onReport);
