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
/// <para>Independent workers (<see cref="Scope.Workers"/>) are not reduced by the other processes' load:
/// an OpenMP team waits at a barrier after every operation for its slowest thread, so a thread the
/// scheduler takes away stalls all of them, which is why the team shrinks on a busy machine; workers that
/// each run whole batches on one thread never wait for each other, and each gets its fair share of the
/// CPU. In B1, with one busy process per core, two one-thread workers ran BENCH-MLP inference 1.22× as
/// fast as one.</para>
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
    private static readonly long LoadValidityTicks = Stopwatch.Frequency;

    private static int _activeCalls;

    [ThreadStatic]
    private static int t_depth;

    [ThreadStatic]
    private static int t_threads;
    private static long _loadMeasuredAt;
    private static int _otherLoad;

    /// <summary>A count fixed for the whole process (<c>ThreadPolicy.Threads</c>), used instead of the policy's choice; null for none.</summary>
    public static int? Fixed { get; set; }

    /// <summary>The default for an otherwise idle machine: the physical cores, at most <see cref="Cap"/>.</summary>
    public static int Maximum => Math.Min(CpuTopology.PhysicalCores, Cap);

    /// <summary>
    /// Sets the calling thread's intra-op thread count to <paramref name="requested"/>, or when it is null to
    /// <see cref="Fixed"/> or the policy's choice, until the returned scope is disposed. Inside another
    /// scope on the same thread (inference during a training run) a null request keeps the count in effect.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="requested"/> is zero or negative.</exception>
    public static Scope Use(int? requested)
    {
        if (requested is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(requested), requested, "The thread count must be positive, or null to let the thread policy choose.");
        }

        if (requested is null && t_depth > 0)
        {
            t_depth++;
            return new Scope(t_threads, t_threads, t_threads, counted: false);
        }

        Interlocked.Increment(ref _activeCalls);
        try
        {
            var chosen = requested is null && Fixed is null;
            var threads = requested ?? Fixed ?? Choose();
            var workers = chosen ? Math.Max(threads, Share(Maximum)) : threads;
            var previous = torch.get_num_threads();
            if (previous != threads)
            {
                torch.set_num_threads(threads);
            }

            var outer = t_threads;
            t_threads = threads;
            t_depth++;
            return new Scope(threads, workers, previous, counted: true, outer);
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

        return Math.Min(Share(Math.Min(maximum, CpuTopology.OnlineCpus - OtherLoad())), maximum);
    }

    /// <summary><paramref name="cores"/> shared among the calls running now (this one included), at least 1.</summary>
    private static int Share(int cores) => Math.Max(1, cores / Math.Max(1, Volatile.Read(ref _activeCalls)));

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
        private readonly bool counted;
        private readonly int outer;

        internal Scope(int threads, int workers, int previous, bool counted, int outer = 0)
        {
            Threads = threads;
            Workers = workers;
            this.previous = previous;
            this.counted = counted;
            this.outer = outer;
        }

        /// <summary>The thread count in effect inside the scope.</summary>
        public int Threads { get; }

        /// <summary>
        /// How many independent workers, each on one libtorch thread, an inference call in the scope may run
        /// batches on: <see cref="Threads"/> when the count was given, the physical cores (at most
        /// <see cref="Cap"/>) shared among the running calls when the policy chose, whatever other processes'
        /// load (see the remarks on <see cref="IntraOpThreads"/>).
        /// </summary>
        public int Workers { get; }

        public void Dispose()
        {
            t_depth--;
            if (!counted)
            {
                return;
            }

            t_threads = outer;
            if (previous != Threads && previous > 0)
            {
                torch.set_num_threads(previous);
            }

            Interlocked.Decrement(ref _activeCalls);
        }
    }
}
