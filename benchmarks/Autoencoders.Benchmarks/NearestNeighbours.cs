using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Benchmarks;

/// <summary>k-nearest-neighbour classification (Euclidean, uniform vote) with TorchSharp, in chunks.</summary>
internal static class NearestNeighbours
{
    /// <summary>Query rows per chunk: a 1000 × 60 000 float64 distance block is 480 MB, so use 500.</summary>
    private const int Chunk = 500;

    /// <summary>
    /// The share of <paramref name="queries"/> whose majority label among their <paramref name="k"/> nearest
    /// <paramref name="references"/> equals the true label. Squared Euclidean distances in float64
    /// (one <c>addmm</c> per chunk); ties in the vote go to the smallest label (as scikit-learn's uniform vote does).
    /// </summary>
    public static double Accuracy(Tensor references, Tensor referenceLabels, Tensor queries, Tensor queryLabels, int k = 5, int classes = 10)
    {
        using var scope = NewDisposeScope();
        var refs = references.to_type(ScalarType.Float64).contiguous();
        var refLabels = referenceLabels.to_type(ScalarType.Int64);
        var referenceNorms = refs.square().sum(1).unsqueeze(0);
        var queryAll = queries.to_type(ScalarType.Float64).contiguous();
        var trueLabels = queryLabels.to_type(ScalarType.Int64);
        var n = queryAll.shape[0];
        long correct = 0;
        for (long start = 0; start < n; start += Chunk)
        {
            using var chunkScope = NewDisposeScope();
            var length = Math.Min(Chunk, n - start);
            var q = queryAll.narrow(0, start, length);
            // ‖q − r‖² = ‖q‖² − 2 q·r + ‖r‖²; ‖q‖² is the same for every r of a row, so ranking by
            // ‖r‖² − 2 q·r gives the same neighbours with one matrix product and one pass.
            var scores = addmm(referenceNorms, q, refs.t(), beta: 1, alpha: -2);
            var nearest = scores.topk(k, dim: 1, largest: false, sorted: true).indexes;
            var votes = refLabels.index_select(0, nearest.flatten()).view(length, k);
            var counts = zeros([length, classes], dtype: ScalarType.Int64).scatter_add_(1, votes, ones_like(votes));
            var predicted = counts.argmax(1);
            correct += predicted.eq(trueLabels.narrow(0, start, length)).sum().item<long>();
        }

        return correct / (double)n;
    }
}
