using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Reliability;

/// <summary>
/// Bad data is refused before any training or inference, with a message that says what is wrong and
/// where: the entry points not already covered by the data, model and trainer tests.
/// </summary>
public sealed class BadDataTests
{
    private static readonly TrainerOptions Fast = new() { Epochs = 1, BatchSize = 32, Threads = 1 };

    [Fact]
    public void Images_of_the_wrong_size_are_refused_by_training_even_with_the_same_pixel_count()
    {
        using var model = AutoencoderSpec.Convolutional([1, 4, 4], 2, [2]).Build(seed: 1);
        using var wrong = InMemoryDataset.FromArray(new float[8, 16], [1, 2, 8]);

        var act = () => new Trainer(Fast).Fit(model, wrong);

        act.Should().Throw<ArgumentException>().WithMessage("*train data*[1, 2, 8]*[1, 4, 4]*");
    }

    [Fact]
    public void Images_of_the_wrong_size_are_refused_by_inference()
    {
        using var model = AutoencoderSpec.Convolutional([1, 4, 4], 2, [2]).Build(seed: 1);
        using var wrong = InMemoryDataset.FromArray(new float[3, 16], [1, 8, 2]);

        var act = () => model.Encode(wrong);

        act.Should().Throw<ArgumentException>().WithMessage("*[1, 8, 2]*[1, 4, 4]*");
    }

    [Fact]
    public void Flat_rows_still_feed_an_image_model_and_images_a_dense_one()
    {
        using var conv = AutoencoderSpec.Convolutional([1, 4, 4], 2, [2]).Build(seed: 1);
        using var dense = AutoencoderSpec.Dense(16, 2, [4]).Build(seed: 1);
        using var rows = InMemoryDataset.FromArray(new float[3, 16]);
        using var images = InMemoryDataset.FromArray(new float[3, 16], [1, 4, 4]);

        conv.Encode(rows).GetLength(0).Should().Be(3);
        dense.Encode(images).GetLength(0).Should().Be(3);
    }

    [Fact]
    public void A_validation_set_of_another_width_is_refused_before_training()
    {
        using var model = AutoencoderSpec.Dense(8, 2, [4]).Build(seed: 1);
        using var train = InMemoryDataset.FromArray(Synthetic.LowRank(32, 8, 2, seed: 1));
        using var validation = InMemoryDataset.FromArray(Synthetic.LowRank(8, 7, 2, seed: 2));

        var act = () => new Trainer(Fast).Fit(model, train, validation);

        act.Should().Throw<ArgumentException>().WithMessage("*validation data*7 features*8 features*");
    }

    [Fact]
    public void Codes_that_are_not_finite_are_refused_by_Decode_with_their_position()
    {
        using var model = AutoencoderSpec.Dense(8, 2, [4]).Build(seed: 1);

        var act = () => model.Decode(new float[,] { { 0, 0 }, { 0, float.PositiveInfinity } });

        act.Should().Throw<ArgumentException>().WithMessage("*row 1, feature 1 is +Infinity*");
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.NegativeInfinity)]
    public void An_anomaly_detector_refuses_non_finite_rows_to_fit_score_and_explain(float bad)
    {
        var rows = Synthetic.LowRank(64, 8, 2, seed: 1);
        var dirty = (float[,])rows.Clone();
        dirty[5, 3] = bad;
        using var detector = AnomalyDetector.Fit(rows, AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = Fast, Spec = AutoencoderSpec.Dense(8, 2, [4]) });
        var row = new float[8];
        row[6] = bad;

        ((Action)(() => AnomalyDetector.Fit(dirty, AnomalyDetectorOptions.Default with { Training = Fast }))).Should().Throw<ArgumentException>().WithMessage("*5*3*");
        ((Action)(() => detector.Score(dirty))).Should().Throw<ArgumentException>().WithMessage("*5*3*");
        ((Action)(() => detector.Explain(row))).Should().Throw<ArgumentException>().WithMessage("*0*6*");
    }

    [Fact]
    public void An_anomaly_detector_refuses_empty_data_and_rows_of_another_width()
    {
        using var detector = AnomalyDetector.Fit(Synthetic.LowRank(64, 8, 2, seed: 1), AnomalyDetectorOptions.Default with { Threshold = Threshold.FalsePositiveRate(0.1), Training = Fast, Spec = AutoencoderSpec.Dense(8, 2, [4]) });

        ((Action)(() => AnomalyDetector.Fit(new float[0, 8]))).Should().Throw<ArgumentException>().WithMessage("*at least one sample*0 sample(s)*");
        ((Action)(() => detector.Score(new float[0, 8]))).Should().Throw<ArgumentException>().WithMessage("*at least one sample*0 sample(s)*");
        ((Action)(() => detector.Score(new float[4, 9]))).Should().Throw<ArgumentException>().WithMessage("*9 features*8 features*");
    }
}
