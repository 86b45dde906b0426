using Autoencoders.Data;

namespace Autoencoders.Benchmarks;

/// <summary>Finds and loads the Fashion-MNIST images the benchmarks train on.</summary>
internal static class BenchmarkData
{
    /// <summary>
    /// The folder from <c>--data</c>, else Debian's /usr/share/datasets/fashion-mnist, else the repository's
    /// 5000/1000-image subset.
    /// </summary>
    public static string ResolveFolder(BenchmarkOptions options)
    {
        if (options.DataFolder is { } explicitFolder)
        {
            return explicitFolder;
        }

        if (FashionMnist.FindDefaultFolder() is { } debian)
        {
            return debian;
        }

        var root = RepositoryInfo.FindRoot()
            ?? throw new DirectoryNotFoundException(
                "Fashion-MNIST was not found: install it with 'apt-get install dataset-fashion-mnist' or pass --data <folder>.");
        return Path.Combine(root, "samples", "data", "fashion-mnist-subset");
    }

    /// <summary>
    /// Loads the first <paramref name="count"/> training images (fewer if the folder holds fewer) as
    /// [N, 1, 28, 28] in [0, 1].
    /// </summary>
    public static InMemoryDataset LoadTraining(string folder, int count)
    {
        using var fashion = FashionMnist.Load(folder, maxTrain: count, maxTest: 1);
        return fashion.Train.Take(fashion.Train.Count);
    }
}
