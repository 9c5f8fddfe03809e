using static TorchSharp.torch;

namespace HerTools.Core.Training;

/// <summary>
/// Sets TorchSharp's intra-op thread count for the calling thread's run. libtorch's OpenMP backend keeps the
/// count per OS thread (omp_set_num_threads), so runs on different threads keep their own settings.
/// </summary>
internal static class ThreadSettings
{
    public static void Apply(int threads)
    {
        if (get_num_threads() != threads) set_num_threads(threads);
    }
}
