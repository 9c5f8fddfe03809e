using System.Runtime.InteropServices;

namespace HerTools.Core.Agents;

/// <summary>
/// Keeps glibc's allocator from handing the learner's activation buffers back to the kernel after every update.
/// <para>
/// An update of 256x256 networks at batch 256 allocates and frees dozens of 256 KB tensors. glibc serves blocks
/// above its mmap threshold (128 KB at first, raised on the fly only as far as the largest block freed) with
/// fresh mappings and gives the top of a heap back once more than twice that is free, so the same pages were
/// unmapped and faulted in again every update: measured 14,000 minor page faults a second on one thread and
/// 43,000 on two (the second thread's arena trims too), about 10% of the time in the kernel, and on two threads
/// 365-378 gradient steps/s against 416-424 with the allocator told to keep its memory. This raises the mmap
/// threshold to 32 MB (glibc's maximum) and the trim threshold to 256 MB, once per process: the learner's
/// working set is a few tens of MB and is reused from update to update, so memory still stays flat.
/// </para>
/// <para>
/// The setting is process-wide (it is the C allocator's): it affects every native allocation of the process,
/// which only ever makes freed memory wait for reuse instead of being returned at once. It is applied on Linux
/// only; elsewhere, or with a C library without <c>mallopt</c>, nothing changes.
/// </para>
/// </summary>
internal static partial class NativeHeap
{
    private const int MTrimThreshold = -1, MMmapThreshold = -3; // glibc's malloc.h
    private const int MmapThresholdBytes = 32 << 20;             // DEFAULT_MMAP_THRESHOLD_MAX on 64-bit
    private const int TrimThresholdBytes = 256 << 20;
    private static int _applied;

    /// <summary>Applies the allocator settings the first time it is called in the process; later calls do nothing.</summary>
    public static void KeepFreedMemory()
    {
        if (!OperatingSystem.IsLinux() || Interlocked.Exchange(ref _applied, 1) == 1) return;
        try
        {
            _ = MallOpt(MMmapThreshold, MmapThresholdBytes);
            _ = MallOpt(MTrimThreshold, TrimThresholdBytes);
        }
        catch (EntryPointNotFoundException) { } // a C library without mallopt: keep its defaults
        catch (DllNotFoundException) { }
    }

    [LibraryImport("libc", EntryPoint = "mallopt")]
    private static partial int MallOpt(int parameter, int value);
}
