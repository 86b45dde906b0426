namespace Autoencoders.Benchmarks;

/// <summary>B1's thread-policy measurements.</summary>
/// <param name="WaitPolicy">The wait policy of the main process (ThreadPolicy.WaitPolicy).</param>
/// <param name="PhysicalCores">ThreadPolicy.PhysicalCores.</param>
/// <param name="Samples">Samples per epoch and per inference run.</param>
/// <param name="ExplicitCounts">The explicit thread counts compared with the default.</param>
/// <param name="Matrix">Default and explicit counts, idle and busy, in the main process.</param>
/// <param name="Sweep">The GOMP_SPINCOUNT sweep, one worker process per value.</param>
internal sealed record ThreadPolicyResults(
    string WaitPolicy, int PhysicalCores, int Samples, int[] ExplicitCounts, IReadOnlyList<PolicyCell> Matrix, IReadOnlyList<WaitPolicySweep.Result> Sweep);
