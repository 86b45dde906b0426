using Autoencoders.Applications;
using Autoencoders.Evaluation;
using Autoencoders.MLNet;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace Autoencoders.Tests.MLNet;

/// <summary>The autoencoder anomaly detector inside an ML.NET pipeline, on the shipped tabular example.</summary>
public sealed class AutoencoderAnomalyEstimatorTests(ITestOutputHelper output) : IDisposable
{
    private static readonly AnomalyDetectorOptions Options = new()
    {
        Threshold = Threshold.Contamination(0.02),
        Training = DefaultArchitecture.Training with { Epochs = 30 },
        Seed = 42,
    };

    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void APipelineFitsSavesReloadsAndScoresIdentically()
    {
        var mlContext = new MLContext(seed: 1);
        var data = SensorRows.Load(mlContext, SensorRows.Table);
        var pipeline = mlContext.Transforms.CopyColumns("Input", "Features")
            .Append(mlContext.AnomalyDetection.Trainers.Autoencoder("Input", Options with { Training = Options.Training! with { Epochs = 3 } }));

        var model = pipeline.Fit(data);
        var path = folder.File("detector.zip");
        mlContext.Model.Save(model, data.Schema, path);
        var reloaded = new MLContext(seed: 2).RegisterAutoencoders().Model.Load(path, out var schema);

        var before = Scores(model.Transform(data));
        var after = Scores(reloaded.Transform(data));
        schema.GetColumnOrNull("Features").Should().NotBeNull();
        after.Scores.Should().Equal(before.Scores);
        after.Labels.Should().Equal(before.Labels);
        before.Labels.Should().Contain(true);
        pipeline.GetOutputSchema(SchemaShapeOf(mlContext)).Select(c => c.Name).Should().Contain(["Score", "PredictedLabel"]);
    }

    [Fact]
    public void EvaluateGivesTheAucAnomalyMetricsGivesAndRandomizedPcaRunsBesideIt()
    {
        var mlContext = new MLContext(seed: 1);
        var table = SensorRows.Table;
        var data = SensorRows.Load(mlContext, table);

        var scored = mlContext.AnomalyDetection.Trainers.Autoencoder("Features", Options).Fit(data).Transform(data);
        var metrics = mlContext.AnomalyDetection.Evaluate(scored);

        using var detector = AnomalyDetector.Fit(table.Values, Options);
        var labels = Autoencoders.Samples.SensorsExample.Labels(table.RowCount);
        var auc = AnomalyMetrics.RocAuc(detector.Score(table.Values), labels);

        var pca = mlContext.Transforms.NormalizeMeanVariance("Features")
            .Append(mlContext.AnomalyDetection.Trainers.RandomizedPca("Features", rank: 2, seed: 1))
            .Fit(data).Transform(data);
        var pcaMetrics = mlContext.AnomalyDetection.Evaluate(pca);
        output.WriteLine($"autoencoder: ML.NET AUC {metrics.AreaUnderRocCurve:f6}, AnomalyMetrics {auc:f6}, detection rate at 10 false positives {metrics.DetectionRateAtFalsePositiveCount:f3}; RandomizedPca rank 2: AUC {pcaMetrics.AreaUnderRocCurve:f6}");

        metrics.AreaUnderRocCurve.Should().BeApproximately(auc, 1e-9);
        auc.Should().BeGreaterThan(0.75, "the planted anomalies break the sensors' relations");
    }

    private static (float[] Scores, bool[] Labels) Scores(IDataView scored) =>
        (scored.GetColumn<float>("Score").ToArray(), scored.GetColumn<bool>("PredictedLabel").ToArray());

    /// <summary>The data's columns as a <see cref="SchemaShape"/> (read back from a no-op mapping: its constructors are internal).</summary>
    private static SchemaShape SchemaShapeOf(MLContext mlContext) =>
        mlContext.Transforms.CustomMapping<NoColumns, SensorRows.Row>((_, _) => { }, contractName: null).GetOutputSchema(new SchemaShape([]));

    private sealed class NoColumns;
}
