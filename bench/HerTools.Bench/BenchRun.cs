using HerTools.Core.Config;
using HerTools.Core.Training;

namespace HerTools.Bench;

/// <summary>Trains one config into a throw-away run folder and gives back the result and the folder.</summary>
internal sealed class BenchRun : IDisposable
{
    private BenchRun(string directory, TrainingResult result) { Directory = directory; Result = result; }

    public string Directory { get; }
    public TrainingResult Result { get; }

    public static BenchRun Train(RunConfig config, IProgress<TrainingProgress>? progress = null)
    {
        string directory = Path.Combine(Path.GetTempPath(), $"hertools-bench-{Guid.NewGuid():N}");
        return new BenchRun(directory, HerTrainer.TrainHer(config, directory, progress));
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
