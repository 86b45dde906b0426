using Autoencoders.Evaluation;

namespace Autoencoders.Tests.Evaluation;

public sealed class AnomalyMetricsTests
{
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Labels = [false, false, true, true];

    [Fact]
    public void Roc_auc_matches_the_pairwise_definition()
    {
        AnomalyMetrics.RocAuc(Scores, Labels).Should().BeApproximately(0.75, 1e-12, "3 of the 4 anomaly/normal pairs are ordered correctly");
        AnomalyMetrics.RocAuc([1, 1, 1, 1], Labels).Should().Be(0.5, "ties count one half");
        AnomalyMetrics.RocAuc([0.9, 0.8, 0.1, 0.2], Labels).Should().Be(0);
    }

    [Fact]
    public void Average_precision_matches_scikit_learns_definition()
    {
        // sklearn.metrics.average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8]) = 0.8333...
        AnomalyMetrics.AveragePrecision(Scores, Labels).Should().BeApproximately(5.0 / 6, 1e-12);
        AnomalyMetrics.AveragePrecision([0.1, 0.2, 0.9, 0.8], Labels).Should().BeApproximately(1, 1e-12);
    }

    [Fact]
    public void Precision_recall_and_f1_count_decisions()
    {
        var (precision, recall, f1) = AnomalyMetrics.PrecisionRecall([true, false, true, true], Labels);

        precision.Should().BeApproximately(2.0 / 3, 1e-12);
        recall.Should().Be(1);
        f1.Should().BeApproximately(0.8, 1e-12);
    }

    [Fact]
    public void Metrics_refuse_one_class_or_mismatched_inputs()
    {
        ((Action)(() => AnomalyMetrics.RocAuc([1, 2], [true, true]))).Should().Throw<ArgumentException>();
        ((Action)(() => AnomalyMetrics.RocAuc([1, 2, 3], [true, false]))).Should().Throw<ArgumentException>();
    }
}
