using Autoencoders.Data;
using Autoencoders.Tests.Support;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Data;

public class FashionMnistTests
{
    private static readonly string[] StandardFiles =
        [FashionMnist.TrainImagesFile, FashionMnist.TrainLabelsFile, FashionMnist.TestImagesFile, FashionMnist.TestLabelsFile];

    [Fact]
    public void ShippedSubset_LoadsWithTheDocumentedShapeLabelsAndRange()
    {
        using var fashion = FashionMnist.Load(TestPaths.FashionMnistSubset);

        fashion.Train.Count.Should().Be(5000);
        fashion.Test.Count.Should().Be(1000);
        foreach (var part in new[] { fashion.Train, fashion.Test })
        {
            part.SampleShape.Should().Equal(1L, 28L, 28L);
            part.FeatureCount.Should().Be(784);
            part.Features.dtype.Should().Be(ScalarType.Float32);
            part.Features.min().item<float>().Should().Be(0f);
            part.Features.max().item<float>().Should().Be(1f, "255 maps to exactly 1");
            var labels = part.Labels!.data<long>().ToArray();
            labels.Should().HaveCount(part.Count).And.OnlyContain(l => l >= 0 && l <= 9);
            labels.Distinct().Should().HaveCount(10);
        }

        // Known facts of Fashion-MNIST: the first training and test images are ankle boots (label 9),
        // and the subset's class counts are the ones documented in its README.
        fashion.Train.Labels!.data<long>()[0].Should().Be(9L);
        fashion.Test.Labels!.data<long>().ToArray().Take(4).Should().Equal(9L, 2L, 1L, 1L);
        torch.bincount(fashion.Train.Labels).data<long>().ToArray()
            .Should().Equal(457L, 556L, 504L, 501L, 488L, 493L, 493L, 512L, 490L, 506L);
    }

    [Fact]
    public void Limits_KeepTheFirstSamples()
    {
        using var full = FashionMnist.Load(TestPaths.FashionMnistSubset);
        using var small = FashionMnist.Load(TestPaths.FashionMnistSubset, maxTrain: 100, maxTest: 7);
        small.Train.Count.Should().Be(100);
        small.Test.Count.Should().Be(7);
        small.Train.Features.allclose(full.Train.Features.narrow(0, 0, 100), rtol: 0, atol: 0).Should().BeTrue();
        small.Test.Labels!.data<long>().ToArray().Should().Equal(full.Test.Labels!.data<long>().ToArray().Take(7));
        FluentActions.Invoking(() => FashionMnist.Load(TestPaths.FashionMnistSubset, maxTrain: 0)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ClassNames_AreTheTenFashionMnistClasses()
    {
        FashionMnist.ClassNames.Should().Equal(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    }

    [Fact]
    public void MissingFile_NamesTheFolderTheFileAndTheAptCommand()
    {
        using var folder = new TempFolder();
        foreach (var name in StandardFiles.Take(3))
        {
            File.Copy(Path.Combine(TestPaths.FashionMnistSubset, name + ".gz"), folder.File(name + ".gz"));
        }

        var act = () => FashionMnist.Load(folder.Path);
        act.Should().Throw<FileNotFoundException>()
            .WithMessage($"*'{FashionMnist.TestLabelsFile}'*'{folder.Path}'*apt-get install dataset-fashion-mnist*");
    }

    [Fact]
    public void RawFiles_AndValidationOfShapesLabelsAndCounts()
    {
        using var folder = new TempFolder();
        void WriteSet(string prefix, int n, int side, byte[] labels, string imageKind = "images-idx3-ubyte")
        {
            var pixels = Enumerable.Range(0, n * side * side).Select(i => (byte)(i % 256)).ToArray();
            IdxWriter.Write(folder.File($"{prefix}-{imageKind}"), pixels, [n, side, side]);
            IdxWriter.Write(folder.File($"{prefix}-labels-idx1-ubyte"), labels, [labels.Length]);
        }

        WriteSet("train", 3, 28, [0, 9, 4]);
        WriteSet("t10k", 2, 28, [1, 2]);
        using (var tiny = FashionMnist.Load(folder.Path))
        {
            tiny.Train.Count.Should().Be(3);
            tiny.Train.Labels!.data<long>().ToArray().Should().Equal(0L, 9L, 4L);
            tiny.Train.Features[0, 0, 9, 3].item<float>().Should().BeApproximately(1f, 1e-6f);
            tiny.Test.Features[0, 0, 0, 1].item<float>().Should().BeApproximately(1f / 255f, 1e-7f);
        }

        WriteSet("t10k", 2, 28, [1, 10]);
        FluentActions.Invoking(() => FashionMnist.Load(folder.Path)).Should().Throw<InvalidDataException>().WithMessage("*label 10 at index 1*");

        WriteSet("t10k", 2, 28, [1, 2, 3]);
        FluentActions.Invoking(() => FashionMnist.Load(folder.Path)).Should().Throw<InvalidDataException>().WithMessage("*2 images*3 labels*");

        WriteSet("t10k", 2, 27, [1, 2]);
        FluentActions.Invoking(() => FashionMnist.Load(folder.Path)).Should().Throw<InvalidDataException>().WithMessage("*N×28×28*[2, 27, 27]*");
    }

    [Fact]
    public void FindDefaultFolder_AgreesWithTheFileSystem()
    {
        bool present = File.Exists(Path.Combine(FashionMnist.DefaultFolder, FashionMnist.TrainImagesFile))
            || File.Exists(Path.Combine(FashionMnist.DefaultFolder, FashionMnist.TrainImagesFile + ".gz"));
        FashionMnist.FindDefaultFolder().Should().Be(present ? FashionMnist.DefaultFolder : null);
    }
}
