using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// The Fashion-MNIST dataset (Zalando Research): 28×28 grey-scale images of clothing in ten classes,
/// 60 000 for training and 10 000 for testing, loaded from the four standard IDX files.
/// </summary>
/// <remarks>
/// <para>Pixels are scaled to [0, 1] float32; each sample has shape [1, 28, 28] and an int64 label 0–9
/// (see <see cref="ClassNames"/>). On Debian/Ubuntu, <c>apt-get install dataset-fashion-mnist</c> puts the
/// files in <see cref="DefaultFolder"/>.</para>
/// <example>
/// <code>
/// using var fashion = FashionMnist.Load(FashionMnist.FindDefaultFolder() ?? "data/fashion-mnist");
/// Console.WriteLine($"{fashion.Train.Count} training images of {FashionMnist.ClassNames.Count} classes");
/// </code>
/// </example>
/// </remarks>
public sealed class FashionMnist : IDisposable
{
    /// <summary>Where Debian's <c>dataset-fashion-mnist</c> package installs the files.</summary>
    public const string DefaultFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The side length of an image in pixels.</summary>
    public const int ImageSize = 28;

    /// <summary>The file names (without <c>.gz</c>) of the training images.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>The file names (without <c>.gz</c>) of the training labels.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>The file names (without <c>.gz</c>) of the test images.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>The file names (without <c>.gz</c>) of the test labels.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    private static readonly string[] Names =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    private FashionMnist(InMemoryDataset train, InMemoryDataset test)
    {
        Train = train;
        Test = test;
    }

    /// <summary>The names of the ten classes, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } = Array.AsReadOnly(Names);

    /// <summary>The training images, shape [N, 1, 28, 28] in [0, 1], with labels.</summary>
    public InMemoryDataset Train { get; }

    /// <summary>The test images, shape [N, 1, 28, 28] in [0, 1], with labels.</summary>
    public InMemoryDataset Test { get; }

    /// <summary>
    /// Returns <see cref="DefaultFolder"/> if it holds the Fashion-MNIST training images (raw or gzip),
    /// otherwise <see langword="null"/>.
    /// </summary>
    /// <returns>The folder, or <see langword="null"/>.</returns>
    public static string? FindDefaultFolder() =>
        FindFile(DefaultFolder, TrainImagesFile) is null ? null : DefaultFolder;

    /// <summary>
    /// Loads the four standard files from a folder, each raw or gzip-compressed (<c>.gz</c>), validates them
    /// and scales the pixels to [0, 1].
    /// </summary>
    /// <param name="folder">The folder holding the files.</param>
    /// <param name="maxTrain">Optionally keep only the first this many training samples (≥ 1).</param>
    /// <param name="maxTest">Optionally keep only the first this many test samples (≥ 1).</param>
    /// <returns>The training and test datasets; dispose the result when done.</returns>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, has the wrong shape, or labels outside 0–9.</exception>
    public static FashionMnist Load(string folder, int? maxTrain = null, int? maxTest = null)
    {
        TorchRuntime.EnsureAvailable();
        ArgumentException.ThrowIfNullOrEmpty(folder);
        if (maxTrain is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTrain), maxTrain, "maxTrain must be at least 1.");
        }

        if (maxTest is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(maxTest), maxTest, "maxTest must be at least 1.");
        }

        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException(
                $"The Fashion-MNIST folder '{folder}' does not exist. {InstallHint}");
        }

        string trainImages = RequireFile(folder, TrainImagesFile);
        string trainLabels = RequireFile(folder, TrainLabelsFile);
        string testImages = RequireFile(folder, TestImagesFile);
        string testLabels = RequireFile(folder, TestLabelsFile);

        var train = LoadPart(trainImages, trainLabels, maxTrain);
        try
        {
            return new FashionMnist(train, LoadPart(testImages, testLabels, maxTest));
        }
        catch
        {
            train.Dispose();
            throw;
        }
    }

    /// <summary>Releases both datasets.</summary>
    public void Dispose()
    {
        Train.Dispose();
        Test.Dispose();
    }

    private const string InstallHint =
        "On Debian/Ubuntu run 'sudo apt-get install dataset-fashion-mnist' (files in " + DefaultFolder + "), " +
        "or download the four files from https://github.com/zalandoresearch/fashion-mnist.";

    private static string? FindFile(string folder, string name)
    {
        foreach (var candidate in new[] { name, name + ".gz" })
        {
            string path = Path.Combine(folder, candidate);
            if (File.Exists(path))
            {
                return path;
            }
        }

        return null;
    }

    private static string RequireFile(string folder, string name) =>
        FindFile(folder, name) ?? throw new FileNotFoundException(
            $"Fashion-MNIST file '{name}' (or '{name}.gz') is missing from folder '{folder}'. {InstallHint}",
            Path.Combine(folder, name));

    private static InMemoryDataset LoadPart(string imagesPath, string labelsPath, int? max)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.ElementType != IdxElementType.UnsignedByte || images.Dimensions.Length != 3
            || images.Dimensions[1] != ImageSize || images.Dimensions[2] != ImageSize)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' should hold N×{ImageSize}×{ImageSize} unsigned bytes but holds " +
                $"[{string.Join(", ", images.Dimensions)}] of {images.ElementType}.");
        }

        if (labels.ElementType != IdxElementType.UnsignedByte || labels.Dimensions.Length != 1)
        {
            throw new InvalidDataException(
                $"'{labelsPath}' should hold N unsigned-byte labels but holds [{string.Join(", ", labels.Dimensions)}] of {labels.ElementType}.");
        }

        int n = images.Dimensions[0];
        if (labels.Dimensions[0] != n)
        {
            throw new InvalidDataException(
                $"'{imagesPath}' holds {n} images but '{labelsPath}' holds {labels.Dimensions[0]} labels; the counts must match.");
        }

        int keep = Math.Min(n, max ?? n);
        var labelValues = new long[keep];
        for (int i = 0; i < n; i++)
        {
            float v = labels.Data[i];
            if (v > 9)
            {
                throw new InvalidDataException($"'{labelsPath}' has label {v} at index {i}; Fashion-MNIST labels are 0 to 9.");
            }

            if (i < keep)
            {
                labelValues[i] = (long)v;
            }
        }

        using var scope = NewDisposeScope();
        var features = tensor(images.Data, [n, 1, ImageSize, ImageSize]);
        if (keep < n)
        {
            features = features.narrow(0, 0, keep);
        }

        features = features.Div(255.0).contiguous(); // a new tensor that owns its memory
        var labelTensor = tensor(labelValues).clone();
        return InMemoryDataset.Own(features, labelTensor, imagesPath);
    }
}
