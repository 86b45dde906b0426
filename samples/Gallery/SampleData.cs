using Autoencoders.Samples;
using Autoencoders.Data;
using Spectre.Console;

namespace Gallery;

/// <summary>Finds and loads Fashion-MNIST: the folder given, else the Debian package's, else the shipped subset.</summary>
internal static class SampleData
{
    /// <summary>Loads the data the options point at, capping the training images at the limit.</summary>
    public static FashionMnist LoadFashion(GalleryOptions options)
    {
        var folder = options.DataFolder ?? FashionMnist.FindDefaultFolder() ?? RepositoryData.Find("fashion-mnist-subset");
        var data = FashionMnist.Load(folder, options.TrainLimit);
        AnsiConsole.MarkupLine($"[grey]Fashion-MNIST from {Markup.Escape(folder)}: {data.Train.Count:n0} training and {data.Test.Count:n0} test images[/]");
        return data;
    }

    /// <summary>The labels of a dataset as integers.</summary>
    public static long[] Labels(InMemoryDataset data) =>
        data.Labels?.data<long>().ToArray() ?? throw new InvalidOperationException("The dataset has no labels.");

    /// <summary>The first <paramref name="count"/> images of a dataset as rows.</summary>
    public static float[,] FirstImages(InMemoryDataset data, int count)
    {
        using var head = data.Take(Math.Min(count, data.Count));
        return head.ToArray();
    }
}
