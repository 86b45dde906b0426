using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Evaluation;

/// <summary>
/// k-nearest-neighbour classification accuracy of codes: how well a representation separates classes.
/// Exact Euclidean neighbours, uniform vote.
/// </summary>
/// <example>
/// <code>
/// // The published protocol: test codes classified by their 5 nearest training codes.
/// double accuracy = NeighbourClassification.Accuracy(model.Encode(train), trainLabels, model.Encode(test), testLabels);
/// // One set, each point classified by its 5 nearest other points.
/// double looAccuracy = NeighbourClassification.LeaveOneOutAccuracy(codes, labels);
/// </code>
/// </example>
/// <remarks>
/// Neighbours are ordered by distance, equal distances by index (the lower training index is the nearer;
/// see <see cref="EmbeddingQuality"/> for what counts as equal). The k nearest vote with equal weight;
/// a tie between labels goes to the smallest label, as scikit-learn's <c>KNeighborsClassifier</c>
/// (uniform weights) decides it. Distances are float64, computed a block of rows at a time, so
/// 60,000 training codes need no n × n matrix.
/// </remarks>
public static class NeighbourClassification
{
    /// <summary>
    /// The share of <paramref name="testCodes"/> whose label is the majority label of their
    /// <paramref name="neighbours"/> nearest <paramref name="trainCodes"/> (the train/test protocol).
    /// </summary>
    /// <param name="trainCodes">The reference points, [n, e].</param>
    /// <param name="trainLabels">Their labels, one per row.</param>
    /// <param name="testCodes">The points to classify, [m, e].</param>
    /// <param name="testLabels">Their true labels, one per row.</param>
    /// <param name="neighbours">k, from 1 to the number of training rows.</param>
    /// <param name="threads">libtorch intra-op threads; null for the library's default (one).</param>
    /// <param name="progress">Reports test rows done after each block.</param>
    /// <param name="cancellationToken">Checked before each block.</param>
    /// <returns>The accuracy, from 0 to 1.</returns>
    /// <exception cref="ArgumentException">Empty or non-finite codes, different widths, labels not one per row, k out of range.</exception>
    public static double Accuracy(
        float[,] trainCodes,
        IReadOnlyList<long> trainLabels,
        float[,] testCodes,
        IReadOnlyList<long> testLabels,
        int neighbours = 5,
        int? threads = null,
        IProgress<NeighbourSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureAvailable();
        using var scope = NewDisposeScope();
        var train = PointSet.ToTensor(trainCodes, nameof(trainCodes), "training codes array");
        var test = PointSet.ToTensor(testCodes, nameof(testCodes), "test codes array");
        if (train.shape[1] != test.shape[1])
        {
            throw new ArgumentException($"The training codes have {train.shape[1]} columns but the test codes have {test.shape[1]}; both must come from the same embedding.", nameof(testCodes));
        }

        var n = checked((int)train.shape[0]);
        var m = checked((int)test.shape[0]);
        var trainTruth = CheckLabels(trainLabels, n, nameof(trainLabels));
        var testTruth = CheckLabels(testLabels, m, nameof(testLabels));
        CheckNeighbours(neighbours, n, "training rows");

        return Vote(train, trainTruth, test, testTruth, neighbours, threads, progress, cancellationToken);
    }

    /// <summary>
    /// The share of <paramref name="codes"/> whose label is the majority label of their
    /// <paramref name="neighbours"/> nearest other codes (leave-one-out on one set: a point never votes
    /// for itself, but its duplicates do).
    /// </summary>
    /// <param name="codes">The points, [n, e].</param>
    /// <param name="labels">Their labels, one per row.</param>
    /// <param name="neighbours">k, from 1 to n − 1.</param>
    /// <param name="threads">libtorch intra-op threads; null for the library's default (one).</param>
    /// <param name="progress">Reports rows done after each block.</param>
    /// <param name="cancellationToken">Checked before each block.</param>
    /// <returns>The accuracy, from 0 to 1.</returns>
    /// <exception cref="ArgumentException">Empty or non-finite codes, labels not one per row, k out of range.</exception>
    public static double LeaveOneOutAccuracy(
        float[,] codes,
        IReadOnlyList<long> labels,
        int neighbours = 5,
        int? threads = null,
        IProgress<NeighbourSearchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        TorchRuntime.EnsureAvailable();
        using var scope = NewDisposeScope();
        var values = PointSet.ToTensor(codes, nameof(codes), "codes array");
        var n = checked((int)values.shape[0]);
        var truth = CheckLabels(labels, n, nameof(labels));
        CheckNeighbours(neighbours, n - 1, "other rows");

        return Vote(values, truth, queries: null, truth, neighbours, threads, progress, cancellationToken);
    }

    /// <summary>The share of queries their k nearest reference points label correctly; no queries: leave-one-out on the references.</summary>
    private static double Vote(
        Tensor references,
        long[] referenceLabels,
        Tensor? queries,
        long[] queryLabels,
        int neighbours,
        int? threads,
        IProgress<NeighbourSearchProgress>? progress,
        CancellationToken cancellationToken)
    {
        using var threadScope = new ThreadScope(threads);
        using var noGrad = torch.no_grad();
        using var points = PointSet.From(references);
        using var vote = new NeighbourVote(referenceLabels);
        long correct = 0;
        RowBlocks.Run(queryLabels.Length, points.Count, (start, length) =>
        {
            var (distances, tolerance) = queries is null
                ? points.DistancesWithin(start, length)
                : points.DistancesFrom(points.Centre(queries.narrow(0, start, length)));
            correct += vote.CountCorrect(NeighbourOrder.Nearest(distances, tolerance, neighbours), queryLabels.AsSpan(start, length));
        }, progress, cancellationToken);
        return correct / (double)queryLabels.Length;
    }

    private static long[] CheckLabels(IReadOnlyList<long> labels, int rows, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(labels, parameterName);
        if (labels.Count != rows)
        {
            throw new ArgumentException($"There are {labels.Count} labels for {rows} rows; give one label per row.", parameterName);
        }

        return [.. labels];
    }

    private static void CheckNeighbours(int neighbours, int available, string what)
    {
        if (neighbours < 1 || neighbours > available)
        {
            throw new ArgumentOutOfRangeException(nameof(neighbours), neighbours, $"Neighbours must be between 1 and the number of {what} ({available}).");
        }
    }
}
