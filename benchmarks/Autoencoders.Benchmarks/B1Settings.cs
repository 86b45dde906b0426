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
internal sealed record B1Settings(
    bool Quick, int Samples, int Repetitions, int Threads, int BatchSize, double LearningRate, long Seed, int SgemmRuns)
{
    public const int InferenceBatchSize = 1024;

    public static B1Settings For(BenchmarkOptions options) => options.Quick
        ? new(true, 2048, 3, options.Threads, 128, 1e-3, BenchmarkOptions.Seed, 5)
        : new(false, 10_000, 5, options.Threads, 128, 1e-3, BenchmarkOptions.Seed, 9);

    /// <summary>The thread counts measured: the main one, then 1 (unless the main one is 1).</summary>
    public int[] ThreadPasses => Threads == 1 ? [1] : [Threads, 1];
}
