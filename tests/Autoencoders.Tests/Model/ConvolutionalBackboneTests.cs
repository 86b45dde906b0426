using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using TestPaths = Autoencoders.Tests.Data.TestPaths;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Model;

public sealed class ConvolutionalBackboneTests
{
    /// <summary>
    /// Written by <c>AutoencoderSpec.Convolutional([1, 6, 6], latent: 2, channels: [2, 3], batchNorm: true).Build(seed: 7).Save(...)</c>
    /// at commit 80dc0a8, before the backbone had dense layers.
    /// </summary>
    private static string FileWrittenBeforeDenseLayers =>
        Path.Combine(TestPaths.RepoRoot, "tests", "Autoencoders.Tests", "Model", "Fixtures", "conv-without-dense-layers.aemodel");

    /// <summary>The spec JSON in that file, exactly as the library wrote it then.</summary>
    private const string SpecJsonWrittenBeforeDenseLayers =
        """{"inputShape":[1,6,6],"backbone":{"type":"convolutional","channels":[2,3],"kernel":3,"stride":2,"batchNorm":true,"activation":"ReLU"},"bottleneck":{"type":"deterministic","codeActivation":"Identity","latent":2},"output":"Sigmoid","likelihood":"Gaussian","corruption":null,"penalties":[]}""";

    [Theory]
    [InlineData(1, 28, 28, 2, new int[0])]
    [InlineData(1, 28, 28, 2, new[] { 16 })]
    [InlineData(3, 27, 31, 2, new int[0])]
    [InlineData(3, 27, 31, 2, new[] { 12, 6 })]
    [InlineData(1, 7, 5, 3, new int[0])]
    [InlineData(1, 7, 5, 3, new[] { 3 })]
    [InlineData(2, 1, 9, 2, new int[0])]
    [InlineData(2, 1, 9, 2, new[] { 7 })]
    [InlineData(1, 16, 16, 1, new int[0])]
    [InlineData(1, 16, 16, 1, new[] { 32, 8 })]
    public void The_output_has_exactly_the_input_shape(int channels, int height, int width, int layers, int[] dense)
    {
        var spec = AutoencoderSpec.Convolutional([channels, height, width], latent: 5, channels: Enumerable.Repeat(4, layers).ToArray(), denseHidden: dense);
        using var model = spec.Build(seed: 1);
        using var x = torch.rand(2, channels, height, width);

        using var code = model.encode(x);
        using var y = model.forward(x);

        int finalHeight = height, finalWidth = width;
        for (var i = 0; i < layers; i++)
        {
            finalHeight = ConvolutionalBackboneSpec.Downsampled(finalHeight, 2);
            finalWidth = ConvolutionalBackboneSpec.Downsampled(finalWidth, 2);
        }

        model.Encoder.OutputSize.Should().Be(dense.Length > 0 ? dense[^1] : 4 * finalHeight * finalWidth);
        code.shape.Should().Equal(2, 5);
        y.shape.Should().Equal(2, channels, height, width);
    }

    [Fact]
    public void The_published_conv_ae_has_dense_layers_between_the_feature_map_and_the_code_mirrored_in_the_decoder()
    {
        // Sainburg, McInnes & Gentner (2021): Conv(64, s2) → Conv(128, s2) → Dense(512) → code, and back.
        using var model = AutoencoderSpec.Convolutional([1, 28, 28], latent: 2, channels: [64, 128], denseHidden: [512]).Build();

        model.Encoder.OutputSize.Should().Be(512);
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        shapes.Values.Select(s => s.Aggregate(1L, (a, b) => a * b)).Sum().Should().Be(
            (64 * 9) + 64 + (128 * 64 * 9) + 128 + (6272 * 512) + 512 // encoder
            + (512 * 2) + 2 // code
            + (2 * 512) + 512 + (512 * 6272) + 6272 + (128 * 64 * 9) + 64 + (64 * 9) + 1); // decoder
        shapes.Where(p => p.Value.Length == 2).Select(p => p.Value).Should().BeEquivalentTo(
            new long[][] { [512, 6272], [2, 512], [512, 2], [6272, 512] }, o => o.WithStrictOrdering(), "dense layers in order: encoder, code, decoder");
    }

    [Fact]
    public void A_spec_written_before_dense_layers_existed_reads_and_writes_the_same_json()
    {
        var spec = AutoencoderSpec.FromJson(SpecJsonWrittenBeforeDenseLayers);

        ((ConvolutionalBackboneSpec)spec.Backbone).DenseHidden.Should().BeEmpty();
        spec.ToJson().Should().Be(SpecJsonWrittenBeforeDenseLayers);
        spec.Should().Be(AutoencoderSpec.Convolutional([1, 6, 6], latent: 2, channels: [2, 3], batchNorm: true));
        AutoencoderSpec.Convolutional([1, 6, 6], latent: 2, channels: [2, 3], batchNorm: true, denseHidden: []).ToJson()
            .Should().Be(SpecJsonWrittenBeforeDenseLayers, "an empty list of dense layers is not written");
    }

    [Fact]
    public void A_model_file_written_before_dense_layers_existed_loads_and_behaves_bit_identically()
    {
        using var loaded = Autoencoder.Load(FileWrittenBeforeDenseLayers);
        // Building the same spec with the same seed today must draw exactly the weights the old code drew.
        using var rebuilt = AutoencoderSpec.Convolutional([1, 6, 6], latent: 2, channels: [2, 3], batchNorm: true).Build(seed: 7);
        var rows = Synthetic.LowRank(5, 36, 2, seed: 9);

        StoredSpecJson(FileWrittenBeforeDenseLayers).Should().Be(SpecJsonWrittenBeforeDenseLayers);
        loaded.Spec.ToJson().Should().Be(SpecJsonWrittenBeforeDenseLayers);
        var stored = loaded.state_dict();
        rebuilt.state_dict().Keys.Should().Equal(stored.Keys);
        foreach (var (name, tensor) in rebuilt.state_dict())
        {
            tensor.bytes.ToArray().Should().Equal(stored[name].bytes.ToArray(), $"'{name}' is drawn as before");
        }

        loaded.Reconstruct(rows).Should().BeEquivalentTo(rebuilt.Reconstruct(rows), o => o.WithStrictOrdering());
        loaded.Encode(rows).Should().BeEquivalentTo(rebuilt.Encode(rows), o => o.WithStrictOrdering());
    }

    [Fact]
    public void Dense_layers_round_trip_through_json_and_bad_widths_are_refused()
    {
        var spec = AutoencoderSpec.Convolutional([1, 8, 8], latent: 2, channels: [4], denseHidden: [16, 8]);

        spec.ToJson().Should().Contain("\"denseHidden\":[16,8]");
        AutoencoderSpec.FromJson(spec.ToJson()).Should().Be(spec);
        spec.Should().NotBe(AutoencoderSpec.Convolutional([1, 8, 8], latent: 2, channels: [4], denseHidden: [16]));
        var act = () => AutoencoderSpec.Convolutional([1, 8, 8], latent: 2, channels: [4], denseHidden: [16, 0]);
        act.Should().Throw<ArgumentException>().WithMessage("*Dense layer 1*0*positive*");
    }

    [Fact]
    public void A_convolutional_vae_with_dense_layers_trains_saves_and_reloads_identically()
    {
        var rows = Synthetic.LowRank(128, 64, 2, seed: 4);
        using var data = InMemoryDataset.FromArray(rows, [1, 8, 8]);
        var spec = AutoencoderSpec.Convolutional([1, 8, 8], latent: 2, channels: [4, 8], output: OutputActivation.Identity, denseHidden: [16])
            .WithGaussianBottleneck(beta: 0.1);
        using var model = spec.Build(seed: 5);
        var before = model.MeanSquaredError(data);
        using var folder = new TempFolder();

        var history = new Trainer(new TrainerOptions { Epochs = 30, BatchSize = 16, LearningRate = 3e-3, Seed = 5 }).Fit(model, data);
        model.Save(folder.File("conv-vae.aemodel"));
        using var loaded = Autoencoder.Load(folder.File("conv-vae.aemodel"));

        history.TrainLosses[^1].Should().BeLessThan(0.5 * history.TrainLosses[0]);
        model.MeanSquaredError(data).Should().BeLessThan(0.5 * before, "the mean code must carry the data's two latent factors");
        loaded.Spec.Should().Be(spec);
        loaded.Encode(rows).Should().BeEquivalentTo(model.Encode(rows), o => o.WithStrictOrdering());
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

    private static string StoredSpecJson(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength))!;
        return header["__metadata__"]!["spec"]!.GetValue<string>();
    }
}
