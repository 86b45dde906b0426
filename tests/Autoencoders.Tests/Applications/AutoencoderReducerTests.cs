using Autoencoders.Applications;
using Autoencoders.Evaluation;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications;

public sealed class AutoencoderReducerTests
{
    private static readonly ReducerOptions Options = new()
    {
        Components = 3,
        Training = new TrainerOptions { Epochs = 40, BatchSize = 64, LearningRate = 3e-3 },
        Seed = 1,
    };

    [Fact]
    public void Fit_transform_and_inverse_transform_recover_low_rank_data_in_its_units()
    {
        var rows = Synthetic.LowRank(1000, 10, 3, seed: 1, noise: 0.02, offset: 50, scale: 20);

        var (reducer, reduced) = AutoencoderReducer.FitTransform(rows, Options);
        using var _ = reducer;
        var back = reducer.InverseTransform(reduced);

        reduced.GetLength(1).Should().Be(3);
        reducer.Transform(rows).Should().BeEquivalentTo(reduced, o => o.WithStrictOrdering());
        double error = 0, variance = 0;
        for (var i = 0; i < 1000; i++)
        {
            for (var j = 0; j < 10; j++)
            {
                error += Math.Pow(back[i, j] - rows[i, j], 2);
                variance += Math.Pow(rows[i, j] - 50, 2);
            }
        }

        (error / variance).Should().BeLessThan(0.05, "three components hold the data's three dimensions");
        var quality = reducer.ScoreEmbedding(rows);
        quality.Trustworthiness.Should().BeGreaterThan(0.99, "the code keeps the neighbourhoods of data that has only three dimensions");
        quality.Should().Be(EmbeddingQuality.Measure(reducer.Model.Scaler!.Transform(rows), reduced), "the input side is the data as the model sees it");
    }

    [Fact]
    public void Save_then_load_transforms_identically()
    {
        var rows = Synthetic.LowRank(300, 10, 3, seed: 2);
        using var folder = new TempFolder();
        using var reducer = AutoencoderReducer.Fit(rows, Options with { Training = Options.Training! with { Epochs = 3 } });

        reducer.Save(folder.File("reducer.aemodel"));
        using var loaded = AutoencoderReducer.Load(folder.File("reducer.aemodel"));

        loaded.Transform(rows).Should().BeEquivalentTo(reducer.Transform(rows), o => o.WithStrictOrdering());
        loaded.Components.Should().Be(3);
    }

    [Fact]
    public void Any_variant_can_sit_underneath()
    {
        var rows = Synthetic.LowRank(300, 10, 3, seed: 3);
        var spec = AutoencoderSpec.Dense(10, 2, [16]).WithGaussianBottleneck();
        using var reducer = AutoencoderReducer.Fit(rows, Options with { Spec = spec, Training = Options.Training! with { Epochs = 3 } });

        reducer.Transform(rows).Should().BeEquivalentTo(reducer.Transform(rows), o => o.WithStrictOrdering(), "a VAE reduces to its posterior means");
        reducer.Components.Should().Be(2);
    }
}
