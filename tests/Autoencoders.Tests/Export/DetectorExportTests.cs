using System.Globalization;
using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Export;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using Xunit.Abstractions;

namespace Autoencoders.Tests.Export;

/// <summary>The detector graph gives <see cref="AnomalyDetector"/>'s scores and decisions, in ONNX Runtime.</summary>
public sealed class DetectorExportTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData("dense")]
    [InlineData("conv-batchnorm")]
    [InlineData("conv1d")]
    [InlineData("lstm")]
    public void TheDetectorGraphGivesTheDetectorsScoresAndDecisions(string kind)
    {
        var (train, test, shape, spec) = kind switch
        {
            "dense" => Tabular(),
            "conv-batchnorm" => Images(),
            "conv1d" => Windows(AutoencoderSpec.Convolutional1d([2, 12], 3, [4, 8], kernel: 5)),
            _ => Windows(AutoencoderSpec.Recurrent([2, 12], 3, [8])),
        };
        using var data = InMemoryDataset.FromArray(train, shape);
        using var detector = AnomalyDetector.Fit(data, new AnomalyDetectorOptions
        {
            Spec = spec,
            Threshold = Threshold.Contamination(0.05),
            Training = new TrainerOptions { Epochs = 3, BatchSize = 64 },
            Seed = 2,
        });
        using var runner = new OnnxRunner(detector.ToOnnx());

        foreach (var batch in new[] { 1, 1000 })
        {
            var rows = Synthetic.Rows(test, 0, batch);
            using var rowData = InMemoryDataset.FromArray(rows, shape);
            var expectedScores = detector.Score(rowData);
            var expectedDecisions = detector.Predict(rowData);
            var result = runner.Run(rows, shape.Select(d => (int)d).ToArray());
            var scores = (float[])result["score"];
            var decisions = (bool[])result["is_anomaly"];

            var worst = Enumerable.Range(0, batch).Max(i => Math.Abs(scores[i] - expectedScores[i]) / expectedScores[i]);
            output.WriteLine($"{kind}, batch {batch}: largest relative score difference {worst:e2}; {decisions.Count(d => d)} flagged");
            worst.Should().BeLessThanOrEqualTo(Tolerance);
            decisions.Should().Equal(expectedDecisions);
        }

        TestRowsHoldBothOutcomes(detector, test, shape);
        runner.Metadata["autoencoders.threshold"].Should().Be(detector.DecisionThreshold.ToString("R", CultureInfo.InvariantCulture));
    }

    [Fact]
    public void ADetectorScoringByElboIsRefusedWithTheReason()
    {
        var (train, _, shape, _) = Tabular();
        using var detector = AnomalyDetector.Fit(train, new AnomalyDetectorOptions
        {
            Spec = AutoencoderSpec.Dense((int)shape[0], 2, [8]).WithGaussianBottleneck(),
            Score = AnomalyScoreKind.NegativeElbo,
            Threshold = Threshold.Contamination(0.05),
            Training = new TrainerOptions { Epochs = 1 },
        });

        FluentActions.Invoking(() => detector.ToOnnx()).Should().Throw<NotSupportedException>().WithMessage("*NegativeElbo*random samples*");
        detector.ToOnnx(new OnnxExportOptions { Part = OnnxPart.Encoder, IncludeLogVariance = true }).Should().NotBeEmpty();
    }

    private static void TestRowsHoldBothOutcomes(AnomalyDetector detector, float[,] test, long[] shape)
    {
        // The test rows hold anomalies, so the decisions compared above include both outcomes.
        using var data = InMemoryDataset.FromArray(test, shape);
        var flagged = detector.Predict(data);
        flagged.Should().Contain(true).And.Contain(false);
    }

    /// <summary>Normal rows in arbitrary units (10 features on 3 factors); the test rows end with 50 that break the factors.</summary>
    private static (float[,] Train, float[,] Test, long[] Shape, AutoencoderSpec? Spec) Tabular()
    {
        var train = Scaled(Synthetic.LowRank(400, 10, 3, seed: 1, basisSeed: 5));
        var test = Scaled(Synthetic.LowRank(1000, 10, 3, seed: 2, basisSeed: 5));
        var random = new Random(3);
        for (var i = 950; i < 1000; i++)
        {
            test[i, random.Next(10)] += 40;
        }

        return (train, test, [10], null);
    }

    private static float[,] Scaled(float[,] rows)
    {
        for (var i = 0; i < rows.GetLength(0); i++)
        {
            for (var j = 0; j < rows.GetLength(1); j++)
            {
                rows[i, j] = 100 + (j * 10) + (rows[i, j] * 8);
            }
        }

        return rows;
    }

    /// <summary>6×6 images in (0, 1); the test images end with 50 with a bright square.</summary>
    private static (float[,] Train, float[,] Test, long[] Shape, AutoencoderSpec? Spec) Images()
    {
        static float[,] Unit(float[,] rows)
        {
            for (var i = 0; i < rows.GetLength(0); i++)
            {
                for (var j = 0; j < rows.GetLength(1); j++)
                {
                    rows[i, j] = 1f / (1f + MathF.Exp(-2 * rows[i, j]));
                }
            }

            return rows;
        }

        var train = Unit(Synthetic.LowRank(300, 36, 3, seed: 1, basisSeed: 5));
        var test = Unit(Synthetic.LowRank(1000, 36, 3, seed: 2, basisSeed: 5));
        for (var i = 950; i < 1000; i++)
        {
            foreach (var p in new[] { 14, 15, 20, 21 })
            {
                test[i, p] = 1;
            }
        }

        return (train, test, [1, 6, 6], AutoencoderSpec.Convolutional([1, 6, 6], 3, [4, 8], batchNorm: true));
    }

    /// <summary>Sine windows of 2 channels × 12 steps in arbitrary units; the test windows end with 50 with a spike.</summary>
    private static (float[,] Train, float[,] Test, long[] Shape, AutoencoderSpec? Spec) Windows(AutoencoderSpec spec)
    {
        var train = Synthetic.SineWindows(300, 2, 12, seed: 1);
        var test = Synthetic.SineWindows(1000, 2, 12, seed: 2);
        var random = new Random(3);
        for (var i = 950; i < 1000; i++)
        {
            test[i, random.Next(24)] += 4;
        }

        return (train, test, [2, 12], spec);
    }
}
