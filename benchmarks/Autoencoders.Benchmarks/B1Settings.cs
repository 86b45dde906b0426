namespace Autoencoders.Benchmarks;

/// <summary>The settings of one B1 run.</summary>
/// <param name="Quick">Whether this is the short check run.</param>
/// <param name="Samples">N: training samples per epoch, and samples reconstructed per inference run.</param>
/// <param name="Repetitions">R: timed runs per side (library, hand-written); medians are reported.</param>
/// <param name="Threads">Intra-op threads of the main pass; a second pass repeats training at 1 thread.</param>
/// <param name="BatchSize">Training batch size.</param>
/// <param name="LearningRate">Adam's learning rate.</param>
/// <param name="Seed">Seeds initialisation and shuffling.</param>
/// <param name="SgemmRuns">Timed 2048² products for the peak.</param>
/// <param name="PolicySamples">Samples per epoch (and reconstructed) in the thread-policy measurements.</param>
/// <param name="PolicyRepetitions">Timed runs per setting in the thread-policy measurements.</param>
/// <param name="SweepSpinCounts">The GOMP_SPINCOUNT values of the wait-policy sweep, one worker process each.</param>
/// <param name="SweepSamples">Samples per epoch (and reconstructed) in each sweep worker; fewer than the matrix's, as the sweep runs six processes.</param>
internal sealed record B1Settings(
    bool Quick, int Samples, int Repetitions, int Threads, int BatchSize, double LearningRate, long Seed, int SgemmRuns,
    int PolicySamples, int PolicyRepetitions, long[] SweepSpinCounts, int SweepSamples)
{
    public const int InferenceBatchSize = 1024;

    public static B1Settings For(BenchmarkOptions options) => options.Quick
        ? new(true, 1024, 2, options.Threads, 128, 1e-3, BenchmarkOptions.Seed, 5, 512, 1, [0, 30_000, 300_000], 512)
        : new(false, 10_000, 5, options.Threads, 128, 1e-3, BenchmarkOptions.Seed, 9, 10_000, 5, [0, 3_000, 10_000, 30_000, 100_000, 300_000], 4096);

    /// <summary>The thread counts measured: the main one, then 1 (unless the main one is 1).</summary>
    public int[] ThreadPasses => Threads == 1 ? [1] : [Threads, 1];
}
