using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Training;
using Spectre.Console;
using TorchSharp;

namespace Gallery;

/// <summary>
/// One Fashion-MNIST class is normal: a detector (the façade's default convolutional autoencoder) is fitted on
/// that class's training images only, then scores every test image. Reports the AUROC (normal class vs the
/// nine others) and writes the most anomalous test images, their error maps, and the most normal ones.
/// </summary>
internal static class FashionAnomalySample
{
    private const int Columns = 12;

    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var normalName = FashionMnist.ClassNames[options.NormalClass];
        using var normal = OneClass(fashion.Train, options.NormalClass);
        AnsiConsole.MarkupLine($"[grey]Normal class {options.NormalClass} ({Markup.Escape(normalName)}): {normal.Count:n0} training images[/]");

        var epochs = options.Epochs ?? 8;
        AnomalyDetector? fitted = null;
        TrainingDisplay.Run($"detector on {normalName}", epochs, progress =>
            fitted = AnomalyDetector.Fit(normal, new AnomalyDetectorOptions
            {
                Training = DefaultArchitecture.Training with { Epochs = epochs, Patience = null },
                Threshold = Threshold.FalsePositiveRate(0.05),
                Seed = 42,
            }, progress));
        using var detector = fitted!;

        var scores = detector.Score(fashion.Test);
        var labels = SampleData.Labels(fashion.Test);
        var isAnomaly = labels.Select(l => l != options.NormalClass).ToArray();
        var auroc = AnomalyMetrics.RocAuc(scores, isAnomaly);
        var flagged = scores.Select(s => s > detector.DecisionThreshold).ToArray();
        var (precision, recall, _) = AnomalyMetrics.PrecisionRecall(flagged, isAnomaly);
        var falsePositiveRate = Enumerable.Range(0, flagged.Length).Count(i => flagged[i] && !isAnomaly[i]) / (double)isAnomaly.Count(a => !a);

        var ranked = Enumerable.Range(0, scores.Length).OrderByDescending(i => scores[i]).ToArray();
        var test = fashion.Test.ToArray();
        var top = ranked.Take(Columns).ToArray();
        var calm = ranked.Reverse().Take(Columns).ToArray();
        var maps = new float[top.Length, 784];
        for (var k = 0; k < top.Length; k++)
        {
            var map = detector.Explain(fashion.Test, top[k]).ErrorMap();
            Buffer.BlockCopy(map, 0, maps, k * 784 * sizeof(float), 784 * sizeof(float));
        }

        var path = Path.Combine(options.OutputFolder, "anomalies-fashion.png");
        ImageGrid.Write(path, [ImageGrid.Pick(test, top), ImageGrid.Normalised(maps), ImageGrid.Pick(test, calm)]);

        var table = new Table().AddColumns("normal class", "test images", "AUROC", "false-positive rate", "precision", "recall");
        table.AddRow(Markup.Escape(normalName), $"{scores.Length:n0}", $"{auroc:f3}", $"{falsePositiveRate:f3}", $"{precision:f3}", $"{recall:f3}");
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"  decisions: score > {detector.DecisionThreshold:g4}, {Markup.Escape(detector.ThresholdRule)}; the false-positive rate is the share of the normal class's test images flagged");
        AnsiConsole.MarkupLine($"  most anomalous: {Markup.Escape(string.Join(", ", top.Select(i => FashionMnist.ClassNames[(int)labels[i]])))}");
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(path)}: the {Columns} most anomalous test images (top), their error maps (middle), the {Columns} most normal (bottom)");
    }

    private static InMemoryDataset OneClass(InMemoryDataset data, int label)
    {
        using var scope = torch.NewDisposeScope();
        var indices = torch.nonzero(data.Labels! == label).squeeze(1);
        return InMemoryDataset.FromTensor(data.Features.index_select(0, indices), data.Labels!.index_select(0, indices));
    }
}
