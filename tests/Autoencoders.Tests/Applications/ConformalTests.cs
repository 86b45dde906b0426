using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications;

/// <summary>
/// The split-conformal rule (Bates et al., Annals of Statistics 2023) as maths: the threshold is the k-th
/// smallest calibration score with k = ⌈(1 − α)(n + 1)⌉, "p ≤ α" and "score &gt; threshold" are one decision,
/// the false-positive rate on fresh clean data is at most α on average over calibration draws, and
/// Benjamini–Hochberg on the p-values controls the false discovery rate.
/// </summary>
public sealed class ConformalTests
{
    [Fact]
    public void The_threshold_is_the_kth_smallest_score_with_k_the_ceiling_of_one_minus_alpha_times_n_plus_one()
    {
        decimal[] alphas = [0.01m, 0.02m, 0.05m, 0.1m, 0.2m, 0.25m, 0.3m, 0.49m];
        foreach (var n in Enumerable.Range(1, 400))
        {
            var scores = Enumerable.Range(0, n).Select(i => (double)((i * 7919) % n)).ToArray(); // a permutation of 0…n−1
            foreach (var alpha in alphas)
            {
                // Exact decimal arithmetic, so the ceiling is the mathematical one.
                var k = (int)Math.Ceiling((1 - alpha) * (n + 1));
                var act = () => Threshold.FalsePositiveRate((double)alpha).Compute(scores);
                if (k > n)
                {
                    act.Should().Throw<ArgumentException>().WithMessage($"*at least {(int)Math.Ceiling((1 / alpha) - 1)} clean calibration scores*");
                }
                else
                {
                    act().Should().Be(k - 1, $"k = {k} for n = {n}, α = {alpha}, and the k-th smallest of 0…n−1 is k − 1");
                }
            }
        }
    }

    [Fact]
    public void Flagging_p_at_most_alpha_and_flagging_scores_above_the_threshold_agree_even_with_ties()
    {
        var random = new Random(5);
        foreach (var n in new[] { 9, 19, 20, 39, 99, 100, 101, 199, 257 })
        {
            // Scores on a coarse grid, so most values are tied with others.
            var calibration = Enumerable.Range(0, n).Select(_ => (double)random.Next(0, 12)).ToArray();
            var sorted = calibration.Order().ToArray();
            var probes = Enumerable.Range(-2, 30).Select(i => i / 2.0).ToArray();
            foreach (var alpha in new[] { 0.01, 0.05, 0.1, 1.0 / (n + 1), 2.0 / (n + 1), 0.3, 0.49 })
            {
                if (alpha >= 0.5 || Conformal.ThresholdRank(n, alpha) is null)
                {
                    continue;
                }

                var threshold = Threshold.FalsePositiveRate(alpha).Compute(calibration);
                foreach (var s in probes)
                {
                    var p = Conformal.PValue(sorted, s);
                    (p <= alpha).Should().Be(s > threshold, $"n = {n}, α = {alpha}, score {s}, threshold {threshold}, p = {p}");
                    p.Should().Be((1 + calibration.Count(c => c >= s)) / (double)(n + 1));
                }
            }
        }
    }

    /// <summary>
    /// The guarantee is about the calibration step alone, so most of the splits use a cheap fixed score
    /// function (the squared norm of a 5-dimensional standard normal sample) instead of a trained model: each
    /// split draws n clean calibration scores, sets the threshold, and measures the false-positive rate on
    /// 1,000 fresh clean samples. Where α(n + 1) is a whole number the expected rate is exactly α, so the mean
    /// must also not fall far below α (a rule that is merely conservative fails). The interpolated percentile
    /// used before gave 0.015 at α = 0.01, n = 199, and fails this test.
    /// </summary>
    [Theory]
    [InlineData(0.01, 199, true)]
    [InlineData(0.05, 199, true)]
    [InlineData(0.1, 199, true)]
    [InlineData(0.1, 9, true)]
    [InlineData(0.05, 30, false)]
    public void Over_400_calibration_draws_the_mean_false_positive_rate_is_at_most_alpha(double alpha, int n, bool exact)
    {
        const int Splits = 400, Fresh = 1000;
        var random = new Random(17 + n);
        double Score()
        {
            double sum = 0;
            for (var d = 0; d < 5; d++)
            {
                var g = Synthetic.Gaussian(random);
                sum += g * g;
            }

            return sum;
        }

        var rates = new double[Splits];
        var rule = Threshold.FalsePositiveRate(alpha);
        for (var split = 0; split < Splits; split++)
        {
            var threshold = rule.Compute(Enumerable.Range(0, n).Select(_ => Score()).ToArray());
            rates[split] = Enumerable.Range(0, Fresh).Count(_ => Score() > threshold) / (double)Fresh;
        }

        var (mean, error) = MeanAndStandardError(rates);
        var expected = Conformal.AllowedCount(n, alpha) / (double)(n + 1);

        mean.Should().BeLessThanOrEqualTo(alpha + (3 * error));
        if (exact)
        {
            expected.Should().Be(alpha);
            mean.Should().BeGreaterThanOrEqualTo(alpha - (3 * error), "at these n the rule is exact, not merely conservative");
        }
        else
        {
            mean.Should().BeApproximately(expected, 3 * error, "E[rate] = ⌊α(n + 1)⌋ / (n + 1) for continuous scores");
        }
    }

    /// <summary>
    /// The same guarantee through real trained detectors (ten draws, as each trains a network). The model is
    /// large for its 180 training rows, so it fits them better than fresh ones: calibrating on the training
    /// scores instead would flag fresh clean rows far more often than α (about 27 % here against α = 10 %).
    /// </summary>
    [Fact]
    public void Trained_detectors_calibrated_on_held_out_rows_flag_fresh_clean_rows_at_most_at_alpha()
    {
        const double Alpha = 0.1;
        const int Detectors = 10, Fresh = 1000;
        var spec = AutoencoderSpec.Dense(12, 4, [64, 64]);
        var training = new TrainerOptions { Epochs = 60, BatchSize = 32, LearningRate = 3e-3, Threads = 1, ValidationFraction = 0 };
        var fresh = Curved(Fresh, seed: 1000);
        var rates = new double[Detectors];
        var inSample = new double[Detectors];
        for (var i = 0; i < Detectors; i++)
        {
            var options = AnomalyDetectorOptions.Default with { Spec = spec, Threshold = Threshold.FalsePositiveRate(Alpha, holdoutFraction: 0.25), Training = training, Seed = i };
            var rows = Curved(240, seed: i);
            using var detector = AnomalyDetector.Fit(rows, options);
            var freshScores = detector.Score(fresh);
            rates[i] = freshScores.Count(s => s > detector.DecisionThreshold) / (double)Fresh;

            // What calibrating on the training rows (the detector's own split, same seed) would have given.
            using var all = InMemoryDataset.FromArray(rows);
            var (trainingRows, heldOut) = all.Split(0.25, seed: i);
            using (trainingRows)
            using (heldOut)
            {
                var inSampleThreshold = Threshold.Contamination(Alpha).Compute(detector.Score(trainingRows));
                inSample[i] = freshScores.Count(s => s > inSampleThreshold) / (double)Fresh;
            }
        }

        var (mean, error) = MeanAndStandardError(rates);

        mean.Should().BeLessThanOrEqualTo(Alpha + (3 * error), $"fresh clean rates: {string.Join(", ", rates)}");
        inSample.Average().Should().BeGreaterThan(Alpha + 0.1, $"the test only means something if in-sample calibration would fail it (rates {string.Join(", ", inSample)})");
    }

    /// <summary>
    /// Batches of 200 with 20 anomalies (scores shifted by 3.5 standard deviations) against 199 clean
    /// calibration scores, 300 times: Benjamini–Hochberg at q = 0.1 keeps the mean share of clean samples
    /// among the flagged at most q·n₀/m = 0.09, and still finds most anomalies.
    /// </summary>
    [Fact]
    public void Benjamini_Hochberg_on_conformal_p_values_controls_the_false_discovery_rate()
    {
        const double Q = 0.1;
        const int Repetitions = 300, Clean = 180, Anomalies = 20, Calibration = 199;
        var random = new Random(23);
        var proportions = new double[Repetitions];
        var power = new double[Repetitions];
        for (var r = 0; r < Repetitions; r++)
        {
            var sorted = Enumerable.Range(0, Calibration).Select(_ => Synthetic.Gaussian(random)).Order().ToArray();
            var scores = Enumerable.Range(0, Clean + Anomalies).Select(i => Synthetic.Gaussian(random) + (i < Anomalies ? 3.5 : 0)).ToArray();
            var flagged = FalseDiscoveryRate.BenjaminiHochberg(scores.Select(s => Conformal.PValue(sorted, s)).ToArray(), Q);

            var falseAlarms = flagged.Skip(Anomalies).Count(f => f);
            var found = flagged.Take(Anomalies).Count(f => f);
            proportions[r] = falseAlarms / (double)Math.Max(1, falseAlarms + found);
            power[r] = found / (double)Anomalies;
        }

        var (mean, error) = MeanAndStandardError(proportions);

        mean.Should().BeLessThanOrEqualTo((Q * Clean / (Clean + Anomalies)) + (3 * error));
        power.Average().Should().BeGreaterThan(0.5);
    }

    [Fact]
    public void Benjamini_Hochberg_flags_the_largest_prefix_under_the_line_and_refuses_bad_input()
    {
        // Sorted: 0.001 ≤ 0.1/5·1, 0.008 ≤ 0.1/5·2, 0.039 > 0.06, 0.041 ≤ 0.08, 0.6 > 0.1 → the four smallest.
        double[] p = [0.6, 0.041, 0.001, 0.039, 0.008];

        FalseDiscoveryRate.BenjaminiHochberg(p, 0.1).Should().Equal(false, true, true, true, true);
        FalseDiscoveryRate.BenjaminiHochberg(p, 0.006).Should().Equal(false, false, true, false, false); // 0.001 ≤ 0.0012 only
        FalseDiscoveryRate.BenjaminiHochberg([0.5, 0.7], 0.1).Should().Equal(false, false);
        FalseDiscoveryRate.BenjaminiHochberg([], 0.1).Should().BeEmpty();
        ((Action)(() => FalseDiscoveryRate.BenjaminiHochberg([0.1, double.NaN], 0.1))).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*p-value 1*");
        ((Action)(() => FalseDiscoveryRate.BenjaminiHochberg([0.1], 0))).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void Too_few_rows_for_the_rate_fail_before_training_with_n_the_smallest_rate_and_the_rows_needed()
    {
        var epochs = 0;
        var progress = new SynchronousProgress<EpochReport>(_ => epochs++);
        var rows = Synthetic.LowRank(95, 64, 4, seed: 1);

        var act = () => AnomalyDetector.Fit(rows, progress: progress);

        act.Should().Throw<ArgumentException>().WithMessage(
            "A false-positive rate of 0.01 needs at least 99 held-out clean rows*holding out 20% of 95 rows leaves n = 19*smallest achievable rate is 1/(n + 1) = 0.05*at least 493 clean rows*rate of at least 0.05*");
        epochs.Should().Be(0, "the check comes before any training");
        ((Action)(() => AnomalyDetector.Fit(Synthetic.LowRank(2, 64, 4, seed: 1)))).Should().Throw<ArgumentException>().WithMessage("*of 2 rows leaves n = 1*1/(n + 1) = 0.5*");
    }

    [Fact]
    public void Rules_estimated_from_fewer_than_20_scores_warn_and_the_conformal_rule_does_not()
    {
        var options = AnomalyDetectorOptions.Default with { Spec = AutoencoderSpec.Dense(8, 2, [6]), Training = new TrainerOptions { Epochs = 1, Threads = 1 } };
        using var contamination = AnomalyDetector.Fit(Synthetic.LowRank(12, 8, 2, seed: 1), options with { Threshold = Threshold.Contamination(0.1) });
        using var plenty = AnomalyDetector.Fit(Synthetic.LowRank(20, 8, 2, seed: 1), options with { Threshold = Threshold.MeanPlusStd(3) });
        using var conformal = AnomalyDetector.Fit(Synthetic.LowRank(60, 8, 2, seed: 1), options with { Threshold = Threshold.FalsePositiveRate(0.1) });

        contamination.Warnings.Should().ContainSingle().Which.Should().Contain("only 12 calibration scores").And.Contain("contamination 0.1");
        plenty.Warnings.Should().BeEmpty();
        conformal.CalibrationCount.Should().Be(12);
        conformal.Warnings.Should().BeEmpty("the conformal rule's guarantee holds at any n it accepts");
    }

    /// <summary>Rows on a curved one-dimensional manifold in 12 features, plus noise.</summary>
    private static float[,] Curved(int rows, int seed)
    {
        var random = new Random(seed);
        var data = new float[rows, 12];
        for (var i = 0; i < rows; i++)
        {
            var t = (random.NextDouble() * 4) - 2;
            for (var j = 0; j < 12; j++)
            {
                data[i, j] = (float)(Math.Sin((t * (j + 1) / 3.0) + j) + (0.1 * Synthetic.Gaussian(random)));
            }
        }

        return data;
    }

    private static (double Mean, double StandardError) MeanAndStandardError(double[] values)
    {
        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
        return (mean, Math.Sqrt(variance / values.Length));
    }
}
