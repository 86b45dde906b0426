using Autoencoders.Evaluation;

namespace Autoencoders.Tests.Evaluation;

public sealed class NeighbourClassificationTests
{
    // Computed once by reference/embedding_quality_reference.py (scikit-learn 1.2.1):
    // KNeighborsClassifier(n_neighbors=5).fit(rows[:200], labels[:200]).score(rows[200:], labels[200:]),
    // and for leave-one-out the mode (smallest label on a tie) of NearestNeighbors(5).kneighbors().
    [Fact]
    public void Train_test_accuracy_matches_scikit_learn()
    {
        var (input, embedding, labels) = ReferenceData.Build();

        Accuracy(embedding, labels).Should().BeApproximately(0.38, 1e-12);
        Accuracy(input, labels).Should().BeApproximately(0.87, 1e-12);
    }

    [Fact]
    public void Leave_one_out_accuracy_matches_scikit_learn()
    {
        var (_, embedding, labels) = ReferenceData.Build();

        NeighbourClassification.LeaveOneOutAccuracy(embedding, labels).Should().BeApproximately(0.35666666666666669, 1e-12);
    }

    [Fact]
    public void Equally_near_neighbours_are_taken_by_index_and_tied_votes_go_to_the_smallest_label()
    {
        // The query at 0 is equally far (1) from training points 1 and 2, and 3 from point 0.
        float[,] train = { { 3 }, { -1 }, { 1 } };
        float[,] query = { { 0 } };

        NeighbourClassification.Accuracy(train, [9, 4, 5], query, [4], neighbours: 1).Should().Be(1, "point 1 comes before point 2");
        NeighbourClassification.Accuracy(train, [9, 5, 4], query, [4], neighbours: 2).Should().Be(1, "labels 5 and 4 tie, the smaller wins");
        NeighbourClassification.Accuracy(train, [4, 9, 9], query, [9], neighbours: 3).Should().Be(1, "two votes beat one");
    }

    [Fact]
    public void Labels_the_training_set_lacks_are_never_predicted()
    {
        float[,] train = { { 0 }, { 1 } };

        NeighbourClassification.Accuracy(train, [1, 1], new float[,] { { 0.1f } }, [2], neighbours: 1).Should().Be(0);
    }

    [Fact]
    public void Bad_input_fails_with_a_clear_message()
    {
        var (_, embedding, labels) = ReferenceData.Build();
        var train = ReferenceData.Rows(embedding, 0, 200);
        var test = ReferenceData.Rows(embedding, 200, 100);

        ((Action)(() => NeighbourClassification.Accuracy(train, labels[..200], new float[100, 3], labels[200..])))
            .Should().Throw<ArgumentException>().WithMessage("*2 columns but the test codes have 3*");
        ((Action)(() => NeighbourClassification.Accuracy(train, labels[..199], test, labels[200..])))
            .Should().Throw<ArgumentException>().WithMessage("*199 labels for 200 rows*");
        ((Action)(() => NeighbourClassification.Accuracy(train, labels[..200], test, labels[200..], neighbours: 201)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and the number of training rows (200)*");
        ((Action)(() => NeighbourClassification.LeaveOneOutAccuracy(train, labels[..200], neighbours: 200)))
            .Should().Throw<ArgumentOutOfRangeException>().WithMessage("*other rows (199)*");
        var infinite = (float[,])test.Clone();
        infinite[3, 0] = float.PositiveInfinity;
        ((Action)(() => NeighbourClassification.Accuracy(train, labels[..200], infinite, labels[200..])))
            .Should().Throw<ArgumentException>().WithMessage("*row 3, feature 0 is +Infinity*").And.ParamName.Should().Be("testCodes");
    }

    private static double Accuracy(float[,] rows, long[] labels) =>
        NeighbourClassification.Accuracy(ReferenceData.Rows(rows, 0, 200), labels[..200], ReferenceData.Rows(rows, 200, 100), labels[200..]);
}
