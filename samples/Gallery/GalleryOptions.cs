using System.Globalization;

namespace Gallery;

/// <summary>The command line of the gallery: a sample name, then options.</summary>
/// <param name="Sample">Which sample to run (see <see cref="Program"/>).</param>
/// <param name="DataFolder">A Fashion-MNIST folder given with --data, or null to look for one.</param>
/// <param name="OutputFolder">Where the PNGs go (--out, default ./gallery-output).</param>
/// <param name="Epochs">Epochs per model (--epochs), or null for each sample's default.</param>
/// <param name="TrainLimit">Training images to use (--train-limit; "all" for every one).</param>
/// <param name="CsvPath">The CSV of the tabular anomaly sample (--csv).</param>
/// <param name="MakeExample">Write the synthetic example CSV here and stop (--make-example).</param>
/// <param name="NormalClass">The Fashion-MNIST class taken as normal in the fashion anomaly sample (--normal-class).</param>
internal sealed record GalleryOptions(
    string Sample,
    string? DataFolder,
    string OutputFolder,
    int? Epochs,
    int? TrainLimit,
    string? CsvPath,
    string? MakeExample,
    int NormalClass)
{
    /// <summary>The default number of training images taken from the full Fashion-MNIST (the subset has 5,000).</summary>
    public const int DefaultTrainLimit = 10_000;

    /// <summary>The samples whose pictures the README shows, run by the <c>readme</c> sample.</summary>
    public static readonly string[] ReadmeSamples = ["latent-map", "reconstructions", "vae", "anomaly-fashion"];

    /// <summary>Where the <c>readme</c> sample writes, relative to the repository root it is run from.</summary>
    public const string ReadmeFolder = "docs/images";

    public const string Usage = """
        Autoencoder gallery: samples that train small models and write PNG pictures.

        usage: dotnet run -c Release --project samples/Gallery -- <sample> [options]

        samples
          all              every picture sample below, one after the other (the default)
          readme           the README's pictures, from the full Fashion-MNIST, into docs/images (run from the
                           repository root): latent-map, reconstructions, vae and anomaly-fashion with
                           --train-limit all and --out docs/images unless given
          latent-map       2-D codes of Fashion-MNIST coloured by class: autoencoder vs PCA  → latent-map.png
          reconstructions  originals vs reconstructions of vanilla, denoising, VAE and conv  → reconstructions.png
          vae              VAE samples from the prior and interpolation strips                → vae-samples.png, vae-interpolation.png
          denoising        clean / noisy / denoised images                                     → denoising.png
          anomaly-fashion  one class as normal; AUROC on the test set; most anomalous images  → anomalies-fashion.png
          anomaly-tabular  a CSV in, flagged rows and their top features out (no picture)
          anomaly-mlnet    the sensor table in ML.NET: autoencoder vs RandomizedPca, AUC from Evaluate (no picture)

        options
          --data <folder>        Fashion-MNIST folder (default: /usr/share/datasets/fashion-mnist when present,
                                 else the subset shipped in samples/data/fashion-mnist-subset)
          --out <folder>         where PNGs are written (default: ./gallery-output)
          --epochs <n>           epochs per model (default: a few, chosen per sample)
          --train-limit <n|all>  training images taken from the full data set (default: 10000)
          --normal-class <0-9>   anomaly-fashion: the class that is normal (default: 7, sneaker)
          --csv <file>           anomaly-tabular, anomaly-mlnet: the CSV to analyse (default: samples/data/sensors-example.csv)
          --make-example <file>  anomaly-tabular: write the synthetic example CSV and stop
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a readable message.</summary>
    public static GalleryOptions Parse(string[] args)
    {
        var sample = "all";
        string? data = null, csv = null, example = null, output = null;
        int? epochs = null, limit = DefaultTrainLimit;
        var limitGiven = false;
        var normal = 7;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Next(); break;
                case "--out": output = Next(); break;
                case "--epochs": epochs = PositiveInt(Next(), "--epochs"); break;
                case "--train-limit":
                    var value = Next();
                    limit = value == "all" ? null : PositiveInt(value, "--train-limit");
                    limitGiven = true;
                    break;
                case "--normal-class":
                    normal = int.TryParse(Next(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var c) && c is >= 0 and <= 9
                        ? c : throw new ArgumentException("--normal-class takes a class number from 0 to 9.");
                    break;
                case "--csv": csv = Next(); break;
                case "--make-example": example = Next(); break;
                case var a when a.StartsWith('-'): throw new ArgumentException($"Unknown option {a}.");
                default: sample = args[i]; break;
            }
        }

        var readme = sample == "readme";
        return new GalleryOptions(sample, data, output ?? (readme ? ReadmeFolder : "gallery-output"), epochs, readme && !limitGiven ? null : limit, csv, example, normal);
    }

    private static int PositiveInt(string text, string option) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value : throw new ArgumentException($"{option} takes a positive whole number, not '{text}'.");
}
