namespace Autoencoders.Benchmarks;

/// <summary>Everything B1 measured for one network at one thread count.</summary>
/// <param name="Network">The network.</param>
/// <param name="Threads">Intra-op threads.</param>
/// <param name="PeakGflops">The measured SGEMM peak at this thread count.</param>
/// <param name="Training">Training samples/s (stopwatch around the whole call: Trainer.Fit for one epoch, or
/// the hand-written epoch).</param>
/// <param name="LibraryReportedSamplesPerSecond">EpochReport.SamplesPerSecond of each timed Fit (steps only).</param>
/// <param name="Inference">Inference samples/s, or null when not measured in this pass.</param>
/// <param name="LibraryParameters">Parameter count of the library model, or null.</param>
/// <param name="HandwrittenParameters">Parameter count of the hand-written net.</param>
/// <param name="EquivalenceMaxAbsDiff">Max |Δ| of the two nets' outputs after copying the library's initial
/// weights into the hand-written net (0 = the same function); null when not checked.</param>
/// <param name="LibraryLoss">The library's training loss in the last timed epoch.</param>
/// <param name="HandwrittenLoss">The hand-written loop's training loss in its last timed epoch.</param>
internal sealed record NetworkMeasurement(
    BenchNetwork Network,
    int Threads,
    double PeakGflops,
    SideBySide Training,
    IReadOnlyList<double> LibraryReportedSamplesPerSecond,
    SideBySide? Inference,
    long? LibraryParameters,
    long HandwrittenParameters,
    double? EquivalenceMaxAbsDiff,
    double? LibraryLoss,
    double HandwrittenLoss)
{
    /// <summary>Training with <c>TrainerOptions.FusedOptimizer</c> against the same hand-written runs; null when the library was not measured.</summary>
    public SideBySide? FusedTraining { get; init; }

    public static double Gflops(double samplesPerSecond, double flopsPerSample) => samplesPerSecond * flopsPerSample / 1e9;
}
