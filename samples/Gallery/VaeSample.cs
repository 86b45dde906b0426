using Autoencoders.Model;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// A variational autoencoder's two tricks: new images decoded from codes drawn from the prior N(0, I), and
/// morphs between two test images along the line between their codes.
/// </summary>
internal static class VaeSample
{
    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var spec = AutoencoderSpec.Variational([1, 28, 28], latent: 16, hidden: [256, 64]);
        using var model = (VariationalAutoencoder)TrainingDisplay.Train("variational autoencoder", spec, fashion.Train, options.Epochs ?? 10);

        var samples = model.Generate(64, seed: 1);
        var samplesPath = Path.Combine(options.OutputFolder, "vae-samples.png");
        ImageGrid.WriteTiled(samplesPath, samples, columns: 8);

        // Pairs of test images of different classes: trouser → dress, sneaker → ankle boot, shirt → bag.
        var test = SampleData.FirstImages(fashion.Test, 500);
        var labels = SampleData.Labels(fashion.Test);
        int First(int label) => Enumerable.Range(0, test.GetLength(0)).First(i => labels[i] == label);
        var strips = new List<float[,]>();
        foreach (var (from, to) in new[] { (1, 3), (7, 9), (6, 8), (0, 5) })
        {
            strips.Add(model.Interpolate(Row(test, First(from)), Row(test, First(to)), steps: 10));
        }

        var stripPath = Path.Combine(options.OutputFolder, "vae-interpolation.png");
        ImageGrid.Write(stripPath, strips);
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(samplesPath)}: 64 images decoded from codes drawn from N(0, I)");
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(stripPath)}: trouser → dress, sneaker → ankle boot, shirt → bag, T-shirt → sandal, in 10 steps");
    }

    private static float[] Row(float[,] values, int index)
    {
        var row = new float[values.GetLength(1)];
        Buffer.BlockCopy(values, index * row.Length * sizeof(float), row, 0, row.Length * sizeof(float));
        return row;
    }
}
