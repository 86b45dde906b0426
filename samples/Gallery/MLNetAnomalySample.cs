using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.MLNet;
using Autoencoders.Samples;
using Microsoft.ML;
using Microsoft.ML.Data;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// The shipped sensor table through two ML.NET anomaly detectors side by side: this library's autoencoder
/// (<c>Trainers.Autoencoder</c>, carried as ONNX) and ML.NET's own randomized PCA, both scored by
/// <c>mlContext.AnomalyDetection.Evaluate</c> against the planted anomalies; the autoencoder's pipeline is
/// also saved, reloaded and checked to score identically.
/// </summary>
internal static class MLNetAnomalySample
{
    public static void Run(GalleryOptions options)
    {
        var path = options.CsvPath ?? RepositoryData.Find(SensorsExample.FileName);
        var table = CsvReader.Read(path);
        var labels = SensorsExample.Labels(table.RowCount);
        var mlContext = new MLContext(seed: 1).RegisterAutoencoders();
        var definition = SchemaDefinition.Create(typeof(Row));
        definition[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, table.ColumnCount);
        var rows = Enumerable.Range(0, table.RowCount).Select(i => new Row
        {
            Features = Enumerable.Range(0, table.ColumnCount).Select(j => table.Values[i, j]).ToArray(),
            Label = labels[i] ? 1f : 0f,
        });
        var data = mlContext.Data.LoadFromEnumerable(rows, definition);

        var epochs = options.Epochs ?? 60;
        var autoencoder = mlContext.AnomalyDetection.Trainers.Autoencoder("Features", new AnomalyDetectorOptions
        {
            Threshold = Threshold.Contamination(0.02),
            Training = DefaultArchitecture.Training with { Epochs = epochs },
            Seed = 42,
        }).Fit(data);
        var pca = mlContext.Transforms.NormalizeMeanVariance("Features")
            .Append(mlContext.AnomalyDetection.Trainers.RandomizedPca("Features", rank: 2, seed: 1))
            .Fit(data);

        var file = Path.Combine(Path.GetTempPath(), $"gallery-mlnet-{Environment.ProcessId}.zip");
        mlContext.Model.Save(autoencoder, data.Schema, file);
        var reloaded = mlContext.Model.Load(file, out _);
        File.Delete(file);
        var same = autoencoder.Transform(data).GetColumn<float>("Score").SequenceEqual(reloaded.Transform(data).GetColumn<float>("Score"));

        var result = new Table().AddColumns("ML.NET pipeline", "ROC AUC", "detection rate at 10 false positives");
        foreach (var (name, model) in new[] { ($"Trainers.Autoencoder ({epochs} epochs)", (ITransformer)autoencoder), ("NormalizeMeanVariance → Trainers.RandomizedPca(rank: 2)", pca) })
        {
            var metrics = mlContext.AnomalyDetection.Evaluate(model.Transform(data));
            result.AddRow(Markup.Escape(name), metrics.AreaUnderRocCurve.ToString("f4"), metrics.DetectionRateAtFalsePositiveCount.ToString("f3"));
        }

        AnsiConsole.MarkupLine($"[grey]{Markup.Escape(path)}: {table.RowCount} rows × {table.ColumnCount} sensors, {SensorsExample.Anomalies.Count} planted anomalies[/]");
        AnsiConsole.Write(result);
        AnsiConsole.MarkupLine($"The autoencoder pipeline saved with mlContext.Model.Save and loaded back scores identically: {same}.");
    }

    private sealed class Row
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
