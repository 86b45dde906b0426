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

    /// <summary>The variants, each a name and a spec; all with a 16-value code.</summary>
    public static IReadOnlyList<(string Name, AutoencoderSpec Spec)> Variants { get; } =
    [
        ("vanilla", AutoencoderSpec.Dense([1, 28, 28], 16, [256, 64], output: OutputActivation.Sigmoid)),
        ("denoising", AutoencoderSpec.Dense([1, 28, 28], 16, [256, 64], output: OutputActivation.Sigmoid).WithCorruption(new MaskingNoise { Probability = 0.3 })),
        ("variational", AutoencoderSpec.Variational([1, 28, 28], 16, [256, 64])),
        ("convolutional", AutoencoderSpec.Convolutional([1, 28, 28], 16, [16, 32])),
    ];

    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var originals = SampleData.FirstImages(fashion.Test, Columns);
        var table = new Table().AddColumns("variant", "epochs", "test MSE per pixel");
        var allRows = new List<float[,]> { originals };
        foreach (var (name, spec) in Variants)
        {
            var epochs = options.Epochs ?? (spec.Backbone is ConvolutionalBackboneSpec ? 3 : 6);
            using var model = TrainingDisplay.Train(name, spec, fashion.Train, epochs);
            allRows.Add(model.Reconstruct(originals));
            table.AddRow(name, $"{epochs}", $"{model.MeanSquaredError(fashion.Test):f5}");
        }

        var path = Path.Combine(options.OutputFolder, "reconstructions.png");
        ImageGrid.Write(path, allRows);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"  [blue]→[/] {Markup.Escape(path)}: the first {Columns} test images (top row), then their reconstructions by the vanilla, denoising, variational and convolutional models");
    }
}
