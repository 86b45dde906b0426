using System.Diagnostics;
using TorchSharp;

namespace Autoencoders.Native;

/// <summary>
/// Chooses libtorch's intra-op thread count for one training run or one inference call, and sets it for
/// the duration (see <c>ThreadPolicy</c> for the policy in words).
/// </summary>
/// <remarks>
/// The count is the process's physical cores (at most <see cref="Cap"/>), less the cores that other
/// processes keep busy right now, shared among the library's calls running at the same time in this
/// process, and at least 1. libtorch's thread count belongs to the calling thread's OpenMP state: setting
/// it for a call and restoring it afterwards leaves other threads alone.
/// </remarks>
internal static class IntraOpThreads
{
    /// <summary>
    /// The most threads the library uses by default. Small autoencoders split each operation into pieces
    /// of a few hundred kilobytes; past a handful of cores the synchronisation between threads costs more
    /// than the extra cores bring. An explicit thread count is not capped.
    /// </summary>
    public const int Cap = 8;

    /// <summary>How long a measurement of the other processes' load is reused (inference calls can be many and short).</summary>
    private static readonly long LoadValidityTicks = Stopwatch.Frequency / 2;

    private static int _activeCalls;
    private static long _loadMeasuredAt;
    private static int _otherLoad;

    /// <summary>The default for an otherwise idle machine: the physical cores, at most <see cref="Cap"/>.</summary>
    public static int Maximum => Math.Min(CpuTopology.PhysicalCores, Cap);

    /// <summary>
    /// Sets the calling thread's intra-op thread count to <paramref name="requested"/>, or to the policy's
    /// choice when it is null, until the returned scope is disposed.
    /// </summary>
    public static Scope Use(int? requested)
    {
        Interlocked.Increment(ref _activeCalls);
        try
        {
            var threads = requested ?? Choose();
            var previous = torch.get_num_threads();
            if (previous != threads)
            {
                torch.set_num_threads(threads);
            }

            return new Scope(threads, previous);
        }
        catch
        {
            Interlocked.Decrement(ref _activeCalls);
            throw;
        }
    }

    /// <summary>The policy's count for a call starting now (counting the calls already running, this one included).</summary>
    private static int Choose()
    {
        var maximum = Maximum;
        if (maximum == 1)
        {
            return 1;
        }

        var free = Math.Min(maximum, CpuTopology.OnlineCpus - OtherLoad());
        var share = free / Math.Max(1, Volatile.Read(ref _activeCalls));
        return Math.Clamp(share, 1, maximum);
    }

    private static int OtherLoad()
    {
        var now = Stopwatch.GetTimestamp();
        var measuredAt = Volatile.Read(ref _loadMeasuredAt);
        if (measuredAt == 0 || now - measuredAt > LoadValidityTicks)
        {
            Volatile.Write(ref _otherLoad, CpuTopology.OtherRunnableTasks());
            Volatile.Write(ref _loadMeasuredAt, now);
        }

        return Volatile.Read(ref _otherLoad);
    }

    /// <summary>Restores the calling thread's previous thread count.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly int previous;

        internal Scope(int threads, int previous)
        {
            Threads = threads;
            this.previous = previous;
        }

        /// <summary>The thread count in effect inside the scope.</summary>
        public int Threads { get; }

        public void Dispose()
        {
            if (previous != Threads && previous > 0)
            {
                torch.set_num_threads(previous);
            }

            Interlocked.Decrement(ref _activeCalls);
        }
    }
}
