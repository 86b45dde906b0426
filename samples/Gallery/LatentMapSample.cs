using Autoencoders.Data;
using Autoencoders.Linear;
using Autoencoders.Model;
using ScottPlot;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// A 2-D map of Fashion-MNIST: a dense autoencoder with a 2-value code next to the first two principal
/// components, test images coloured by class. The nonlinear code separates classes PCA piles together.
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
        var codes = model.Encode(test).ToMatrix().ToArray();
        var projected = pca.Transform(test.ToMatrix()).ToArray();

        var multiplot = new Multiplot();
        multiplot.AddPlots(2);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        Scatter(multiplot.GetPlot(0), codes, labels, "Autoencoder (784 → 256 → 64 → 2)", "code 1", "code 2", legend: false);
        Scatter(multiplot.GetPlot(1), projected, labels, $"PCA ({100 * pca.ExplainedVarianceRatio.Sum():f0}% of the variance)", "PC 1", "PC 2", legend: true);
        var path = Path.Combine(options.OutputFolder, "latent-map.png");
        multiplot.SavePng(path, 1600, 700);
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(path)}: {test.GetLength(0):n0} test images, autoencoder codes (left) and PCA (right), coloured by class");
    }

    private static void Scatter(Plot plot, double[,] points, long[] labels, string title, string x, string y, bool legend)
    {
        var palette = new ScottPlot.Palettes.Category10();
        for (var c = 0; c < FashionMnist.ClassNames.Count; c++)
        {
            var indices = Enumerable.Range(0, labels.Length).Where(i => labels[i] == c).ToArray();
            var xs = indices.Select(i => points[i, 0]).ToArray();
            var ys = indices.Select(i => points[i, 1]).ToArray();
            var markers = plot.Add.Markers(xs, ys, MarkerShape.FilledCircle, 4, palette.GetColor(c));
            markers.LegendText = FashionMnist.ClassNames[c];
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
