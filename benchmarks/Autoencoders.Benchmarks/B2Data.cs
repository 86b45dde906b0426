using Autoencoders.Data;
using TorchSharp;

namespace Autoencoders.Benchmarks;

/// <summary>
/// The images of B2/B3, split as the published protocol does: training = the first images of the
/// training file, validation = its last ones (never trained on; used to choose settings and to watch
/// training), test = the test file.
/// </summary>
internal sealed class B2Data : IDisposable
{
    private B2Data(InMemoryDataset train, InMemoryDataset validation, InMemoryDataset test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    public InMemoryDataset Train { get; }

    public InMemoryDataset Validation { get; }

    public InMemoryDataset Test { get; }

    /// <summary>Loads <paramref name="trainCount"/> training, <paramref name="validationCount"/> validation and <paramref name="testCount"/> test images.</summary>
    public static B2Data Load(string folder, int trainCount, int validationCount, int testCount)
    {
        using var fashion = FashionMnist.Load(folder, maxTest: testCount);
        var all = fashion.Train;
        if (trainCount + validationCount > all.Count)
        {
            throw new InvalidOperationException(
                $"{folder} holds {all.Count} training images; {trainCount} for training and {validationCount} for validation do not fit.");
        }

        using var scope = torch.NewDisposeScope();
        var train = InMemoryDataset.FromTensor(all.Features.narrow(0, 0, trainCount), all.Labels!.narrow(0, 0, trainCount));
        var validation = InMemoryDataset.FromTensor(
            all.Features.narrow(0, all.Count - validationCount, validationCount),
            all.Labels!.narrow(0, all.Count - validationCount, validationCount));
        return new B2Data(train, validation, fashion.Test.Take(fashion.Test.Count));
    }

    public void Dispose()
    {
        Train.Dispose();
        Validation.Dispose();
        Test.Dispose();
    }
}
