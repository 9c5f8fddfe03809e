using HerTools.Core.Training;

namespace HerTools.Core.Tests;

/// <summary>Progress&lt;T&gt; posts to the thread pool; tests that read per-thread state need the callback on the training thread.</summary>
internal sealed class SynchronousProgress(Action<TrainingProgress> onReport) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => onReport(value);
}
