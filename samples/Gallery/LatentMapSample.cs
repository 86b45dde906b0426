using System.Globalization;
using Autoencoders.Data;
using Autoencoders.Evaluation;
using Autoencoders.Linear;
using Autoencoders.Model;
using ScottPlot;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// A 2-D map of Fashion-MNIST: a dense autoencoder with a 2-value code next to the first two principal
/// components, test images coloured by class. The nonlinear code separates classes PCA piles together;
/// trustworthiness, continuity and 5-NN accuracy of both maps say by how much.
/// </summary>
internal static class LatentMapSample
{
    private const int Points = 3000;

    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var spec = AutoencoderSpec.Dense([1, 28, 28], latent: 2, hidden: [256, 64], output: OutputActivation.Sigmoid);
        using var model = TrainingDisplay.Train("autoencoder, 2-D code", spec, fashion.Train, options.Epochs ?? 10);
        var pca = Pca.Fit(fashion.Train.ToArray(), components: 2);

        var test = SampleData.FirstImages(fashion.Test, Points);
        var labels = SampleData.Labels(fashion.Test).Take(test.GetLength(0)).ToArray();
        var codes = model.Encode(test);
        var projected = pca.Transform(test.ToMatrix()).ToFloatArray();
        var autoencoderQuality = Report("autoencoder", test, codes, labels);
        var pcaQuality = Report("PCA", test, projected, labels);

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Scatter(multiplot.GetPlot(0), codes, labels, $"Autoencoder (784 → 256 → 64 → 2), trustworthiness {autoencoderQuality.Trustworthiness:f3}", "code 1", "code 2", legend: false);
        Scatter(multiplot.GetPlot(1), projected, labels, $"PCA ({100 * pca.ExplainedVarianceRatio.Sum():f0}% of the variance), trustworthiness {pcaQuality.Trustworthiness:f3}", "PC 1", "PC 2", legend: true);
        var path = Path.Combine(options.OutputFolder, "latent-map.png");
        multiplot.SavePng(path, 1200, 525);
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(path)}: {test.GetLength(0):n0} test images, autoencoder codes (left) and PCA (right), coloured by class");
    }

    /// <summary>Scores a 2-D map of the images (k = 5) and prints the scores.</summary>
    private static EmbeddingQualityReport Report(string name, float[,] images, float[,] map, long[] labels)
    {
        var quality = EmbeddingQuality.Measure(images, map, labels);
        AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
            $"  {name}: trustworthiness {quality.Trustworthiness:f4}, continuity {quality.Continuity:f4}, 5-NN accuracy (leave-one-out) {quality.NeighbourAccuracy:f3}"));
        return quality;
    }

    private static void Scatter(Plot plot, float[,] points, long[] labels, string title, string x, string y, bool legend)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (var c = 0; c < FashionMnist.ClassNames.Count; c++)
        {
            var indices = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            var xs = indices.Select(i => points[i, 0]).ToArray();
            var ys = indices.Select(i => points[i, 1]).ToArray();
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 4, palette.GetColor(c));
            markers.LegendText = FashionMnist.ClassNames[c];
            markers.MarkerStyle.FillStyle.AntiAlias = false;
            markers.MarkerStyle.OutlineStyle.AntiAlias = false;
        }

        plot.Title(title);
        plot.XLabel(x);
        plot.YLabel(y);
        if (legend)
        {
            plot.ShowLegend(Edge.Right);
        }
        else
        {
            plot.HideLegend();
        }
    }
}
