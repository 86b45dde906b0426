using Autoencoders.Data;
using Autoencoders.Model;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// Originals against reconstructions for four variants trained on the same images: vanilla (dense),
/// denoising (dense, masking noise), variational (dense VAE, Bernoulli likelihood) and convolutional.
/// </summary>
internal static class ReconstructionSample
{
    private const int Columns = 12;

    /// <summary>The variants, each a name, a file-name stem and a spec; all with a 16-value code.</summary>
    public static IReadOnlyList<(string Name, string Stem, AutoencoderSpec Spec)> Variants { get; } =
    [
        ("vanilla", "vanilla", AutoencoderSpec.Dense([1, 28, 28], 16, [256, 64], output: OutputActivation.Sigmoid)),
        ("denoising", "denoising", AutoencoderSpec.Dense([1, 28, 28], 16, [256, 64], output: OutputActivation.Sigmoid).WithCorruption(new MaskingNoise { Probability = 0.3 })),
        ("variational", "vae", AutoencoderSpec.Variational([1, 28, 28], 16, [256, 64])),
        ("convolutional", "conv", AutoencoderSpec.Convolutional([1, 28, 28], 16, [16, 32])),
    ];

    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var originals = SampleData.FirstImages(fashion.Test, Columns);
        var table = new Table().AddColumns("variant", "test MSE per pixel", "picture");
        var allRows = new List<float[,]> { originals };
        foreach (var (name, stem, spec) in Variants)
        {
            var epochs = options.Epochs ?? (spec.Backbone is ConvolutionalBackboneSpec ? 3 : 6);
            using var model = TrainingDisplay.Train(name, spec, fashion.Train, epochs);
            var reconstructions = model.Reconstruct(originals);
            allRows.Add(reconstructions);
            var path = Path.Combine(options.OutputFolder, $"reconstructions-{stem}.png");
            ImageGrid.Write(path, [originals, reconstructions]);
            table.AddRow(name, $"{model.MeanSquaredError(fashion.Test):f5}", Markup.Escape(path));
        }

        var combined = Path.Combine(options.OutputFolder, "reconstructions.png");
        ImageGrid.Write(combined, allRows);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(combined)}: rows are originals, vanilla, denoising, VAE, conv (each file above: originals over reconstructions)");
    }
}
