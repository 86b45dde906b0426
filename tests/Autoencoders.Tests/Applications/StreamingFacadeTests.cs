using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Tests.Data;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications;

/// <summary>
/// The façades over streamed sources: a detector and a reducer fitted from a CSV, Parquet or IDX stream are
/// the ones fitted in memory (same scaler, same calibration split, same validation split, same weights)
/// when the samples arrive in the same order, and they score and transform streams as they do arrays.
/// </summary>
public sealed class StreamingFacadeTests : IDisposable
{
    private static readonly TrainerOptions InOrder = new() { Epochs = 5, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.1, Patience = 3, Shuffle = false };
    private readonly float[,] rows = Synthetic.LowRank(240, 6, 2, seed: 4, offset: 50, scale: 8);
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Theory]
    [InlineData("csv")]
    [InlineData("parquet")]
    [InlineData("idx-raw")]
    public void A_detector_fitted_from_a_stream_is_the_one_fitted_in_memory(string kind)
    {
        var options = AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.05), Training = InOrder, Seed = 11 };
        using var memory = InMemoryDataset.FromArray(rows);
        using var stream = StreamFiles.Open(kind, rows, folder.Path, new StreamingOptions { ChunkSize = 25 });

        using var inMemory = AnomalyDetector.Fit(memory, options);
        using var streamed = AnomalyDetector.Fit(stream, options);

        streamed.Model.Scaler!.Offset.Should().Equal(inMemory.Model.Scaler!.Offset);
        streamed.Model.Scaler.Scale.Should().Equal(inMemory.Model.Scaler.Scale);
        streamed.History!.TrainLosses.Should().Equal(inMemory.History!.TrainLosses);
        streamed.History.ValidationLosses.Should().Equal(inMemory.History.ValidationLosses);
        streamed.DecisionThreshold.Should().Be(inMemory.DecisionThreshold, "the calibration part is the same samples");
        streamed.Score(stream).Should().Equal(inMemory.Score(rows));
        streamed.Predict(stream).Should().Equal(inMemory.Predict(rows));
        streamed.FeatureNames.Should().Equal(kind == "idx-raw" ? null : Enumerable.Range(0, 6).Select(j => $"f{j}"), "a table's own column names are kept");
    }

    [Fact]
    public void A_reducer_fitted_from_a_stream_is_the_one_fitted_in_memory()
    {
        var options = new ReducerOptions { Components = 2, Training = InOrder, Seed = 5 };
        using var memory = InMemoryDataset.FromArray(rows);
        using var stream = DataSource.FromEnumerable(StreamFiles.Rows(rows), [6], new StreamingOptions { ChunkSize = 16 });

        using var inMemory = AutoencoderReducer.Fit(memory, options);
        using var streamed = AutoencoderReducer.Fit(stream, options);

        streamed.History!.TrainLosses.Should().Equal(inMemory.History!.TrainLosses);
        streamed.Transform(stream).Should().BeEquivalentTo(inMemory.Transform(rows), o => o.WithStrictOrdering());
        streamed.Model.Reconstruct(stream).Should().BeEquivalentTo(inMemory.Model.Reconstruct(rows), o => o.WithStrictOrdering());
    }
}
