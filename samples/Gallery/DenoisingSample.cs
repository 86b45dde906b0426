using Autoencoders.Model;
using Spectre.Console;

namespace Gallery;

/// <summary>
/// A denoising autoencoder trained to undo Gaussian noise (σ = 0.3): clean test images, the same images
/// with fresh noise, and what the model makes of the noisy ones.
/// </summary>
internal static class DenoisingSample
{
    private const double Noise = 0.3;
    private const int Columns = 12;

    public static void Run(GalleryOptions options)
    {
        using var fashion = SampleData.LoadFashion(options);
        var spec = AutoencoderSpec.Dense([1, 28, 28], 32, [256, 128], output: OutputActivation.Sigmoid)
            .WithCorruption(new GaussianNoise { StdDev = Noise });
        using var model = TrainingDisplay.Train("denoising autoencoder", spec, fashion.Train, options.Epochs ?? 8);

        var clean = SampleData.FirstImages(fashion.Test, Columns);
        var noisy = (float[,])clean.Clone();
        var random = new Random(5);
        for (var i = 0; i < noisy.GetLength(0); i++)
        {
            for (var j = 0; j < noisy.GetLength(1); j++)
            {
                var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                noisy[i, j] = (float)Math.Clamp(noisy[i, j] + (Noise * gaussian), 0, 1);
            }
        }

        var denoised = model.Reconstruct(noisy);
        var path = Path.Combine(options.OutputFolder, "denoising.png");
        ImageGrid.Write(path, [clean, noisy, denoised]);
        AnsiConsole.MarkupLine(
            $"  [blue]→[/] {Markup.Escape(path)}: clean (top), with Gaussian noise σ = {Noise} (middle), denoised (bottom); " +
            $"MSE per pixel noisy {Mse(clean, noisy):f4} → denoised {Mse(clean, denoised):f4}");
    }

    private static double Mse(float[,] a, float[,] b)
    {
        double sum = 0;
        for (var i = 0; i < a.GetLength(0); i++)
        {
            for (var j = 0; j < a.GetLength(1); j++)
            {
                sum += (a[i, j] - b[i, j]) * (a[i, j] - b[i, j]);
            }
        }

        return sum / a.Length;
    }
}
