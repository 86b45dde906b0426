using Autoencoders.Data;
using Autoencoders.Evaluation;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The metrics of B2/B3's codes, all from the library's evaluation API (so the benchmark measures what
/// users get): 5-NN accuracy of one set's codes against the training codes, and trustworthiness on the
/// first <see cref="TrustworthinessImages"/> training images as published.
/// </summary>
internal static class B2CodeMetrics
{
    /// <summary>The published protocol's trustworthiness sample: the first 10,000 training images (Sainburg et al. 2021).</summary>
    public const int TrustworthinessImages = 10_000;

    /// <summary>The share of <paramref name="queries"/> whose 5 nearest training codes vote for the true label.</summary>
    public static double KnnAccuracy(float[,] trainCodes, InMemoryDataset train, float[,] queryCodes, InMemoryDataset queries, int threads) =>
        NeighbourClassification.Accuracy(trainCodes, Labels(train), queryCodes, Labels(queries), B2Settings.Neighbours, threads);

    /// <summary>
    /// Venna &amp; Kaski's trustworthiness (k = 5) of the first training images' codes against the images.
    /// </summary>
    public static double Trustworthiness(float[,] trainImages, float[,] trainCodes, int threads)
    {
        var n = Math.Min(TrustworthinessImages, trainImages.GetLength(0));
        var report = EmbeddingQuality.Measure(
            FirstRows(trainImages, n),
            FirstRows(trainCodes, n),
            options: new EmbeddingQualityOptions { Neighbours = B2Settings.Neighbours, Threads = threads });
        return report.Trustworthiness;
    }

    private static long[] Labels(InMemoryDataset data) =>
        data.Labels?.data<long>().ToArray() ?? throw new InvalidOperationException("B2/B3 needs labelled images.");

    private static float[,] FirstRows(float[,] rows, int n)
    {
        var columns = rows.GetLength(1);
        var first = new float[n, columns];
        Buffer.BlockCopy(rows, 0, first, 0, n * columns * sizeof(float));
        return first;
    }
}
