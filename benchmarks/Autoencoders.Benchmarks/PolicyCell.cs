namespace Autoencoders.Benchmarks;

/// <summary>One cell of the thread-policy measurements: a network, a phase and a load at one thread setting.</summary>
/// <param name="Network">BENCH-MLP or BENCH-CONV.</param>
/// <param name="Phase">"training" or "inference".</param>
/// <param name="Load">"idle", or "busy" (one competing busy process per logical CPU).</param>
/// <param name="Setting">"default" (the library's policy chooses) or an explicit thread count.</param>
/// <param name="Runs">Samples/s of each timed run, in order.</param>
/// <param name="ThreadsUsed">For default training, the thread count each run reported (TrainingHistory.Threads); else empty.</param>
internal sealed record PolicyCell(string Network, string Phase, string Load, string Setting, IReadOnlyList<double> Runs, IReadOnlyList<int> ThreadsUsed)
{
    public const string Default = "default";

    public double Median => Stats.Median([.. Runs]);
}
