using static TorchSharp.torch;

namespace Autoencoders.Evaluation;

/// <summary>
/// A uniform majority vote among neighbours' labels; a tie between labels goes to the smallest label
/// (as scikit-learn's <c>KNeighborsClassifier</c> with uniform weights decides it).
/// </summary>
internal sealed class NeighbourVote : IDisposable
{
    private readonly long[] classes;
    private readonly Tensor referenceClasses;

    /// <summary>Labels of the points that vote, one per point.</summary>
    public NeighbourVote(IReadOnlyList<long> referenceLabels)
    {
        classes = [.. referenceLabels.Distinct().Order()];
        referenceClasses = tensor(referenceLabels.Select(ClassOf).ToArray()).DetachFromDisposeScope();
    }

    /// <summary>
    /// How many of the queries are labelled as their neighbours vote: <paramref name="neighbours"/> is
    /// int64 [b, k] into the reference points, <paramref name="truth"/> the queries' labels.
    /// </summary>
    public long CountCorrect(Tensor neighbours, ReadOnlySpan<long> truth)
    {
        var votes = referenceClasses.index_select(0, neighbours.flatten()).view(neighbours.shape);
        var counts = zeros([neighbours.shape[0], classes.Length], dtype: ScalarType.Int64).scatter_add_(1, votes, ones_like(votes));
        var predicted = counts.argmax(1).data<long>().ToArray(); // the first of equal maxima: the smallest label
        long correct = 0;
        for (var i = 0; i < predicted.Length; i++)
        {
            correct += classes[predicted[i]] == truth[i] ? 1 : 0;
        }

        return correct;
    }

    /// <inheritdoc />
    public void Dispose() => referenceClasses.Dispose();

    private long ClassOf(long label) => Array.BinarySearch(classes, label);
}
