namespace Autoencoders.Native;

/// <summary>
/// How the library uses libtorch's intra-op threads, for training (when <c>TrainerOptions.Threads</c>
/// is null) and for inference (the model's array methods).
/// </summary>
/// <remarks>
/// <para><b>How many.</b> Each training run and each inference call uses the process's physical cores
/// (SMT siblings counted once, within its CPU affinity and container quota, at most
/// <see cref="MaximumDefaultThreads"/>), less the cores that other processes keep busy when it starts,
/// shared among the library's calls running at the same time, and at least one. On an idle machine that
/// is every core; with one busy process per core it is one thread, which never collapses. Inference over
/// several batches runs them on independent workers, one per physical core (at most
/// <see cref="MaximumDefaultThreads"/>, shared among the calls running at the same time), each on one
/// libtorch thread, whatever the other processes' load: unlike the threads of one operation, which wait
/// for each other after every operation, the workers never wait for each other, so a busy machine costs
/// them only its fair share. An explicit
/// <c>TrainerOptions.Threads</c> overrides the choice for a run, <see cref="Threads"/> for the whole
/// process; <c>TrainingHistory.Threads</c> reports the count a run used.</para>
/// <para><b>How they wait.</b> libtorch's OpenMP threads spin between operations before they sleep. An
/// unbounded spin wastes the core that a competing process needs; no spin at all makes every operation
/// wake its threads, which cost a third of the speed of two threads on an idle machine. The library
/// bounds the spin (<see cref="WaitPolicy"/> says to what) by setting <c>GOMP_SPINCOUNT</c> in the native
/// environment before libtorch loads, on Linux, unless you set <c>OMP_WAIT_POLICY</c> or
/// <c>GOMP_SPINCOUNT</c> yourself. libgomp reads them once, when libtorch loads: if your program uses
/// TorchSharp before it first uses this library, set them in the environment before the process starts.</para>
/// <para><b>Reproducibility.</b> Trained weights and reconstructions of the networks the library builds
/// have come out bit-identical at 1 and 2 threads in our tests, but the loss values reported are sums
/// whose rounding depends on the thread count. For runs that must repeat bit for bit, loss history
/// included, set <c>TrainerOptions.Threads</c>.</para>
/// </remarks>
/// <example>
/// <code>
/// Console.WriteLine($"{ThreadPolicy.PhysicalCores} cores; {ThreadPolicy.WaitPolicy}");   // using Autoencoders.Native;
/// var history = new Trainer(new TrainerOptions { Epochs = 10 }).Fit(model, data);
/// Console.WriteLine($"trained on {history.Threads} thread(s)");
/// </code>
/// </example>
public static class ThreadPolicy
{
    /// <summary>The most intra-op threads the library chooses by itself; an explicit <c>TrainerOptions.Threads</c> may be higher.</summary>
    public const int MaximumDefaultThreads = IntraOpThreads.Cap;

    /// <summary>
    /// Fixes the intra-op thread count for inference and for training runs whose
    /// <c>TrainerOptions.Threads</c> is null, for the whole process; null (the default) lets the policy
    /// choose for each run and call.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public static int? Threads
    {
        get => IntraOpThreads.Fixed;
        set
        {
            if (value is <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "The thread count must be positive, or null to let the policy choose.");
            }

            IntraOpThreads.Fixed = value;
        }
    }

    /// <summary>The physical cores this process may run on (within its affinity mask and CPU quota).</summary>
    public static int PhysicalCores => CpuTopology.PhysicalCores;

    /// <summary>The OpenMP wait policy in effect, and who chose it, e.g. "GOMP_SPINCOUNT=30000 (set by the library)".</summary>
    public static string WaitPolicy => OpenMpWaitPolicy.State;
}
