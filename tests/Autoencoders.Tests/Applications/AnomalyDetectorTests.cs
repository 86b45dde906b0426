using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications;

public sealed class AnomalyDetectorTests : IDisposable
{
    private const int Features = 12;
    private static readonly TrainerOptions FastTraining = new() { Epochs = 40, BatchSize = 64, LearningRate = 3e-3, ValidationFraction = 0.1, Patience = 8 };
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    /// <summary>Normal rows: a 3-dimensional linear manifold in 12 features, in units of 100 around 1000.</summary>
    private static float[,] Normal(int rows, int seed) => Synthetic.LowRank(rows, Features, 3, seed, noise: 0.05, offset: 1000, scale: 100, basisSeed: 42);

    /// <summary>Anomalies: normal rows pushed off the manifold along a random direction.</summary>
    private static float[,] Anomalies(int rows, int seed)
    {
        var data = Normal(rows, seed);
        var random = new Random(seed + 100);
        for (var i = 0; i < rows; i++)
        {
            for (var j = 0; j < Features; j++)
            {
                data[i, j] += (float)(100 * 1.0 * Synthetic.Gaussian(random));
            }
        }

        return data;
    }

    private static AnomalyDetector Fit(Threshold threshold, int rows = 1500, IReadOnlyList<string>? names = null) =>
        AnomalyDetector.Fit(Normal(rows, seed: 1), AnomalyDetectorOptions.Default with { Threshold = threshold, Training = FastTraining, FeatureNames = names, Seed = 3 });

    [Fact]
    public void Scores_separate_off_manifold_rows_from_normal_ones()
    {
        using var detector = Fit(Threshold.FalsePositiveRate(0.01));
        var normal = detector.Score(Normal(500, seed: 2));
        var anomalous = detector.Score(Anomalies(500, seed: 3));

        var auc = AnomalyMetrics.RocAuc([.. normal, .. anomalous], [.. normal.Select(_ => false), .. anomalous.Select(_ => true)]);

        auc.Should().BeGreaterThan(0.97);
        detector.Model.Scaler.Should().BeOfType<StandardScaler>("tabular data in large units is standardised by default");
        detector.Model.LatentSize.Should().Be(3, "the default code is round(√12) = 3 values");
    }

    [Fact]
    public void A_contamination_threshold_flags_that_share_of_the_training_data()
    {
        var training = Normal(1500, seed: 1);
        using var detector = Fit(Threshold.Contamination(0.05));

        var flagged = detector.Predict(training).Count(f => f) / 1500.0;

        flagged.Should().BeApproximately(0.05, 0.005);
    }

    [Fact]
    public void A_false_positive_rate_threshold_holds_on_fresh_clean_data()
    {
        using var detector = Fit(Threshold.FalsePositiveRate(0.05, holdoutFraction: 0.3), rows: 3000);

        var flagged = detector.Predict(Normal(4000, seed: 7)).Count(f => f) / 4000.0;

        flagged.Should().BeApproximately(0.05, 0.02);
        detector.CalibrationCount.Should().Be(900);
        detector.ThresholdRule.Should().Be("false-positive rate ≤ 0.05, split-conformal on 900 held-out clean samples; guaranteed for clean data exchangeable with them");
        detector.Warnings.Should().BeEmpty();
    }

    [Fact]
    public void Flagging_p_values_at_most_the_rate_is_exactly_the_threshold_decision()
    {
        using var detector = Fit(Threshold.FalsePositiveRate(0.05));
        var rows = Normal(600, seed: 11);
        var scores = detector.Score(rows);
        var atThreshold = detector.DecisionThreshold;

        var byPValue = detector.PValue(rows).Select(p => p <= 0.05).ToArray();

        byPValue.Should().Equal(detector.Predict(rows));
        byPValue.Should().Contain(true).And.Contain(false);
        (detector.PValue(atThreshold) <= 0.05).Should().BeFalse("a score equal to the threshold is normal under both rules");
        (detector.PValue(Math.BitIncrement(atThreshold)) <= 0.05).Should().BeTrue("the next larger score is flagged under both rules");
        scores.Select(detector.PValue).Should().Equal(detector.PValue(rows));
    }

    [Fact]
    public void The_other_thresholds_follow_their_definitions()
    {
        var training = Normal(1500, seed: 1);
        using var max = Fit(Threshold.MaxTrainingScore());
        using var meanStd = Fit(Threshold.MeanPlusStd(2));
        using var fixedValue = Fit(Threshold.Fixed(0.25));

        // Calibration scores are kept in float32 as the file keeps them, rounded up.
        max.Predict(training).Should().NotContain(true);
        max.DecisionThreshold.Should().BeGreaterThanOrEqualTo(max.Score(training).Max()).And.BeApproximately(max.Score(training).Max(), 1e-7 * max.DecisionThreshold);
        var scores = meanStd.Score(training);
        var mean = scores.Average();
        var expected = mean + (2 * Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / scores.Length));
        meanStd.DecisionThreshold.Should().BeApproximately(expected, 1e-6 * expected);
        fixedValue.DecisionThreshold.Should().Be(0.25);
    }

    [Fact]
    public void Explanations_point_at_the_corrupted_feature()
    {
        var names = Enumerable.Range(0, Features).Select(i => $"sensor{i}").ToArray();
        using var detector = Fit(Threshold.FalsePositiveRate(0.01), names: names);
        var row = Synthetic.Rows(Normal(1, seed: 9), 0, 1).Cast<float>().ToArray();
        row[5] += 800;

        var explanation = detector.Explain(row);

        explanation.IsAnomaly.Should().BeTrue();
        explanation.Top(1)[0].Should().Match<FeatureContribution>(c => c.Index == 5 && c.Name == "sensor5" && c.Share > 0.5);
        explanation.Score.Should().BeApproximately(explanation.FeatureErrors.Average(e => (double)e), 1e-6);
    }

    [Fact]
    public void Scores_are_deterministic_and_do_not_depend_on_the_other_rows()
    {
        using var detector = Fit(Threshold.FalsePositiveRate(0.01));
        var rows = Normal(300, seed: 4);

        var all = detector.Score(rows);
        var again = detector.Score(rows);
        var alone = detector.Score(Synthetic.Rows(rows, 123, 1));

        again.Should().Equal(all);
        alone[0].Should().BeApproximately(all[123], 1e-6 * all[123], "a row scored alone agrees with the same row in a batch to float rounding");
    }

    [Fact]
    public void P_values_are_uniform_on_clean_data_and_small_on_anomalies()
    {
        using var detector = Fit(Threshold.FalsePositiveRate(0.05));
        var n = detector.CalibrationCount;

        var normal = detector.PValue(Normal(400, seed: 5));
        var anomalous = detector.PValue(Anomalies(400, seed: 6));

        normal.Should().OnlyContain(p => p >= 1.0 / (n + 1) && p <= 1);
        normal.Average().Should().BeInRange(0.4, 0.6, "clean data held out like the calibration data gives uniform p-values");
        normal.Count(p => p <= 0.1).Should().BeInRange(20, 60, "P(p ≤ 0.1) ≈ 0.1 for 400 clean rows");
        anomalous.Average().Should().BeLessThan(0.02);
    }

    [Fact]
    public void Save_then_load_gives_identical_scores_decisions_and_explanations()
    {
        var names = Enumerable.Range(0, Features).Select(i => $"f{i}").ToArray();
        using var detector = Fit(Threshold.Contamination(0.02), names: names);
        var path = folder.File("detector.aemodel");
        var rows = Anomalies(50, seed: 8);

        detector.Save(path);
        using var loaded = AnomalyDetector.Load(path);

        loaded.Score(rows).Should().Equal(detector.Score(rows));
        loaded.Predict(rows).Should().Equal(detector.Predict(rows));
        loaded.PValue(rows).Should().Equal(detector.PValue(rows));
        loaded.DecisionThreshold.Should().Be(detector.DecisionThreshold);
        loaded.ThresholdRule.Should().Be("contamination 0.02");
        loaded.FeatureNames.Should().Equal(names);
        loaded.Explain(Synthetic.Rows(rows, 0, 1).Cast<float>().ToArray()).Top(2).Should().BeEquivalentTo(
            detector.Explain(Synthetic.Rows(rows, 0, 1).Cast<float>().ToArray()).Top(2));
    }

    [Fact]
    public void A_plain_model_file_is_not_loaded_as_a_detector()
    {
        using var model = AutoencoderSpec.Dense(4, 2, [3]).Build();
        var path = folder.File("model.aemodel");
        model.Save(path);

        var act = () => AnomalyDetector.Load(path);

        act.Should().Throw<ModelFileException>().WithMessage("*not an anomaly detector*");
    }

    [Fact]
    public void A_variational_detector_scores_by_likelihood_deterministically()
    {
        var spec = AutoencoderSpec.Dense(Features, 3, [24]).WithGaussianBottleneck();
        var options = AnomalyDetectorOptions.Default with { Spec = spec, Score = AnomalyScoreKind.NegativeElbo, Training = FastTraining, Seed = 2 };
        using var detector = AnomalyDetector.Fit(Normal(1500, seed: 1), options);
        var normal = Normal(300, seed: 2);
        var anomalous = Anomalies(300, seed: 3);

        var scores = detector.Score(normal);
        var auc = AnomalyMetrics.RocAuc([.. scores, .. detector.Score(anomalous)], [.. scores.Select(_ => false), .. scores.Select(_ => true)]);

        auc.Should().BeGreaterThan(0.9);
        detector.Score(Synthetic.Rows(normal, 17, 1))[0].Should().BeApproximately(scores[17], 1e-5 * Math.Abs(scores[17]), "every row uses the same draws");
    }

    [Fact]
    public void Likelihood_scores_need_a_variational_spec()
    {
        var act = () => AnomalyDetector.Fit(Normal(100, 1), AnomalyDetectorOptions.Default with { Score = AnomalyScoreKind.NegativeElbo });

        act.Should().Throw<ArgumentException>().WithMessage("*variational*");
    }

    [Fact]
    public void Image_detectors_explain_with_a_per_pixel_error_map()
    {
        var rows = VariantsData.Images(400, seed: 1);
        using var data = InMemoryDataset.FromArray(rows, [1, 8, 8]);
        var options = AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.05), Training = FastTraining with { Epochs = 5 } };
        using var detector = AnomalyDetector.Fit(data, options);
        var image = Synthetic.Rows(rows, 0, 1).Cast<float>().ToArray();
        image[(3 * 8) + 6] = 1f - image[(3 * 8) + 6];

        var map = detector.Explain(image).ErrorMap();

        detector.Model.Spec.Backbone.Should().BeOfType<ConvolutionalBackboneSpec>();
        detector.Model.Scaler.Should().BeNull("images in [0, 1] need no scaling");
        map.GetLength(0).Should().Be(8);
        map.GetLength(1).Should().Be(8);
    }

    private static class VariantsData
    {
        public static float[,] Images(int count, int seed) => Autoencoders.Tests.Variants.VariantCatalog.UnitIntervalData(count, seed) is var small
            ? Upsample(small, count)
            : throw new InvalidOperationException();

        private static float[,] Upsample(float[,] small, int count)
        {
            var images = new float[count, 64];
            for (var i = 0; i < count; i++)
            {
                for (var p = 0; p < 64; p++)
                {
                    images[i, p] = small[i, ((p / 8 / 2) * 4) + (p % 8 / 2)];
                }
            }

            return images;
        }
    }
}
