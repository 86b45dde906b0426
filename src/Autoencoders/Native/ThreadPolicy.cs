namespace Autoencoders.Native;

/// <summary>
/// The library's default for libtorch's intra-op threads.
/// </summary>
/// <remarks>
/// libtorch parallelises each operation over OpenMP threads that spin-wait between operations. When
/// the machine is busy (another process, or several models trained side by side), spinning threads
/// compete with the work itself and training has been measured 5–12× slower with two threads than
/// with one on a loaded 2-core machine. The default is therefore one thread, which is never
/// pathological; on an otherwise idle machine with several cores, set
/// <c>TrainerOptions.Threads</c> explicitly to use more (see the B1 benchmark for the speed-up).
/// The thread count is process-wide in libtorch: the trainer sets it for the run and restores the
/// previous value afterwards.
/// </remarks>
public static class ThreadPolicy
{
    /// <summary>The intra-op thread count used when <c>TrainerOptions.Threads</c> is null.</summary>
    public const int DefaultTrainingThreads = 1;
}
