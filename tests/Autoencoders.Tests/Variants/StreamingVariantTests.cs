using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Data;
using Autoencoders.Tests.Support;
using Autoencoders.Tests.Training;
using Autoencoders.Training;

namespace Autoencoders.Tests.Variants;

/// <summary>
/// The variant suite over a streamed source: every variant trains from a raw IDX file exactly as it trains
/// in memory when the samples arrive in the same order, and trains (loss falls, deterministic for a seed)
/// from a shuffled stream.
/// </summary>
public sealed class StreamingVariantTests : IDisposable
{
    private static readonly TrainerOptions Options = new() { Epochs = 2, BatchSize = 32, LearningRate = 3e-3, Seed = 9, Threads = 1 };
    private static readonly StreamingOptions Chunks = new() { ChunkSize = 40, ShuffleBufferSize = 64 };
    private readonly float[,] rows = VariantCatalog.UnitIntervalData(256, seed: 5);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Trains_from_a_stream_exactly_as_in_memory_when_the_order_is_the_same(string name)
    {
        var spec = VariantCatalog.Specs[name];
        long[] shape = [.. spec.InputShape.Select(d => (long)d)];
        using var memory = InMemoryDataset.FromArray(rows, shape);
        using var stream = StreamFiles.Open("idx-raw", rows, folder.Path, Chunks, IdxShape(spec));
        using var a = spec.Build(seed: 2);
        using var b = spec.Build(seed: 2);
        var options = Options with { Shuffle = false, ValidationFraction = 0.25 };

        var inMemory = new Trainer(options).Fit(a, memory);
        var streamed = new Trainer(options).Fit(b, stream);

        streamed.TrainLosses.Should().Equal(inMemory.TrainLosses);
        streamed.ValidationLosses.Should().Equal(inMemory.ValidationLosses);
        RunRecord.Weights(b).Should().Be(RunRecord.Weights(a));
        b.Encode(stream).Should().BeEquivalentTo(a.Encode(memory), o => o.WithStrictOrdering());
        b.MeanSquaredError(stream).Should().Be(a.MeanSquaredError(memory));
    }

    [Theory]
    [MemberData(nameof(VariantCatalog.Names), MemberType = typeof(VariantCatalog))]
    public void Trains_from_a_shuffled_stream_deterministically_and_the_loss_falls(string name)
    {
        var spec = VariantCatalog.Specs[name];
        using var stream = StreamFiles.Open("idx-raw", rows, folder.Path, Chunks, IdxShape(spec));
        using var a = spec.Build(seed: 1);
        using var b = spec.Build(seed: 1);
        var options = Options with { Epochs = 6 };

        var first = new Trainer(options).Fit(a, stream);
        var second = new Trainer(options).Fit(b, stream);

        first.TrainLosses[^1].Should().BeLessThan(first.TrainLosses[0]);
        second.TrainLosses.Should().Equal(first.TrainLosses, "the same seed and source give the same batches, bit for bit");
        RunRecord.Weights(b).Should().Be(RunRecord.Weights(a));
    }

    /// <summary>
    /// The sample shape the IDX file stores: images [1, H, W] as they are (an [N, H, W] file), anything else
    /// as flat rows, which feed any model (an [N, C, L] file would read back as images [1, C, L]).
    /// </summary>
    private static long[]? IdxShape(AutoencoderSpec spec) =>
        spec.InputShape is [1, _, _] ? [.. spec.InputShape.Select(d => (long)d)] : null;
}
