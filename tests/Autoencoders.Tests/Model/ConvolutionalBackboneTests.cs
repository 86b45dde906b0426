using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Model;

public sealed class ConvolutionalBackboneTests
{
    [Theory]
    [InlineData(1, 28, 28, 2)]
    [InlineData(3, 27, 31, 2)]
    [InlineData(1, 7, 5, 3)]
    [InlineData(2, 1, 9, 2)]
    [InlineData(1, 16, 16, 1)]
    public void The_output_has_exactly_the_input_shape(int channels, int height, int width, int layers)
    {
        var spec = AutoencoderSpec.Convolutional([channels, height, width], latent: 5, channels: Enumerable.Repeat(4, layers).ToArray());
        using var model = spec.Build(seed: 1);
        using var x = torch.rand(2, channels, height, width);

        using var y = model.forward(x);

        y.shape.Should().Equal(2, channels, height, width);
    }

    [Fact]
    public void Bench_conv_has_the_layer_sizes_of_the_benchmark_definition()
    {
        using var model = AutoencoderSpec.Convolutional([1, 28, 28], latent: 32, channels: [32, 64]).Build();

        model.Encoder.OutputSize.Should().Be(3136);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        shapes.Values.Select(s => s.Aggregate(1L, (a, b) => a * b)).Sum()
            .Should().Be((32 * 9) + 32 + (64 * 32 * 9) + 64 + (3136 * 32) + 32 + (32 * 3136) + 3136 + (64 * 32 * 9) + 32 + (32 * 9) + 1);
    }

    [Fact]
    public void A_non_image_input_shape_is_refused()
    {
        var act = () => AutoencoderSpec.Convolutional([784], latent: 5, channels: [8]);

        act.Should().Throw<ArgumentException>().WithMessage("*[channels, height, width]*[784]*");
    }

    [Fact]
    public void An_even_kernel_is_refused()
    {
        var spec = AutoencoderSpec.Convolutional([1, 8, 8], latent: 2, channels: [4]) with
        {
            Backbone = new ConvolutionalBackboneSpec { Channels = [4], Kernel = 4 },
        };

        var act = spec.Validate;

        act.Should().Throw<ArgumentException>().WithMessage("*odd*4*");
    }

    [Fact]
    public void A_batch_normalised_convolutional_model_trains_saves_and_reloads_identically()
    {
        var rows = Synthetic.LowRank(96, 64, 3, seed: 2);
        using var data = InMemoryDataset.FromArray(rows, [1, 8, 8]);
        var spec = AutoencoderSpec.Convolutional([1, 8, 8], latent: 4, channels: [4, 8], output: OutputActivation.Identity, batchNorm: true);
        using var model = spec.Build(seed: 3);
        using var folder = new TempFolder();

        var history = new Trainer(new TrainerOptions { Epochs = 8, BatchSize = 16, LearningRate = 3e-3 }).Fit(model, data);
        model.Save(folder.File("conv.aemodel"));
        using var loaded = Autoencoder.Load(folder.File("conv.aemodel"));

        history.TrainLosses[^1].Should().BeLessThan(history.TrainLosses[0]);
        AutoencoderSpec.FromJson(spec.ToJson()).Should().Be(spec);
        loaded.Reconstruct(rows).Should().BeEquivalentTo(model.Reconstruct(rows), o => o.WithStrictOrdering());
        model.state_dict().Keys.Should().Contain(k => k.Contains("running_mean"), "batch-norm statistics are part of the saved state");
    }
}
