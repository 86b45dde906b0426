using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Tests.Support;
using Autoencoders.Training;
using TorchSharp;

namespace Autoencoders.Tests.Model;

/// <summary>The 1-D convolutional and recurrent backbones for sequences shaped [channels, length].</summary>
public sealed class SequenceBackboneTests
{
    [Fact]
    public void The_1d_convolutional_output_has_exactly_the_input_length_for_every_length()
    {
        foreach (var stride in new[] { 2, 3 })
        {
            foreach (var layers in new[] { 1, 2, 3 })
            {
                for (var length = 1; length <= 40; length++)
                {
                    var spec = new AutoencoderSpec
                    {
                        InputShape = [2, length],
                        Backbone = new Convolutional1dBackboneSpec { Channels = Enumerable.Repeat(3, layers).ToArray(), Kernel = 5, Stride = stride },
                        Bottleneck = new DeterministicBottleneckSpec { Latent = 3 },
                    };
                    using var model = spec.Build(seed: 1);
                    using var x = torch.rand(2, 2, length);

                    using var y = model.forward(x);

                    y.shape.Should().Equal([2, 2, length], $"length {length}, {layers} layer(s) of stride {stride}");
                }
            }
        }
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm, 1, 1)]
    [InlineData(RecurrentCell.Lstm, 3, 17)]
    [InlineData(RecurrentCell.Gru, 2, 9)]
    public void The_recurrent_output_has_exactly_the_input_shape(RecurrentCell cell, int channels, int length)
    {
        using var model = AutoencoderSpec.Recurrent([channels, length], latent: 2, hidden: [5, 3], cell).Build(seed: 1);
        using var x = torch.rand(4, channels, length);

        using var y = model.forward(x);

        y.shape.Should().Equal(4, channels, length);
        model.Encoder.OutputSize.Should().Be(3);
    }

    [Fact]
    public void Both_backbones_refuse_inputs_that_are_not_channels_by_length()
    {
        var conv = () => AutoencoderSpec.Convolutional1d([32], latent: 2, channels: [4]);
        var recurrent = () => AutoencoderSpec.Recurrent([1, 4, 8], latent: 2, hidden: [4]);

        conv.Should().Throw<ArgumentException>().WithMessage("A 1-D convolutional backbone takes sequences shaped [channels, length]*[32]*[1, 32]*");
        recurrent.Should().Throw<ArgumentException>().WithMessage("A recurrent backbone takes sequences shaped [channels, length]*[1, 4, 8]*");
    }

    [Fact]
    public void Bad_layer_settings_are_refused_with_the_value()
    {
        var evenKernel = () => AutoencoderSpec.Convolutional1d([1, 16], latent: 2, channels: [4], kernel: 4);
        var noChannels = () => AutoencoderSpec.Convolutional1d([1, 16], latent: 2, channels: []);
        var zeroDense = () => AutoencoderSpec.Convolutional1d([1, 16], latent: 2, channels: [4], denseHidden: [0]);
        var noLayers = () => AutoencoderSpec.Recurrent([1, 16], latent: 2, hidden: []);
        var zeroWidth = () => AutoencoderSpec.Recurrent([1, 16], latent: 2, hidden: [4, 0]);

        evenKernel.Should().Throw<ArgumentException>().WithMessage("*odd*4*");
        noChannels.Should().Throw<ArgumentException>().WithMessage("Channels needs at least one entry*");
        zeroDense.Should().Throw<ArgumentException>().WithMessage("Dense layer 0 has size 0*");
        noLayers.Should().Throw<ArgumentException>().WithMessage("Hidden needs at least one entry*");
        zeroWidth.Should().Throw<ArgumentException>().WithMessage("Recurrent layer 1 has size 0*");
    }

    [Fact]
    public void The_specs_are_written_with_their_type_names_and_read_back_equal()
    {
        var conv = AutoencoderSpec.Convolutional1d([3, 20], latent: 4, channels: [8, 4], kernel: 3, batchNorm: true, denseHidden: [16]);
        var recurrent = AutoencoderSpec.Recurrent([3, 20], latent: 4, hidden: [8], RecurrentCell.Gru).WithGaussianBottleneck();

        conv.ToJson().Should().Contain("\"type\":\"convolutional1d\"").And.Contain("\"denseHidden\":[16]");
        recurrent.ToJson().Should().Contain("\"type\":\"recurrent\"").And.Contain("\"cell\":\"Gru\"");
        AutoencoderSpec.FromJson(conv.ToJson()).Should().Be(conv);
        AutoencoderSpec.FromJson(recurrent.ToJson()).Should().Be(recurrent);
        AutoencoderSpec.FromJson(conv.ToJson()).Should().NotBe(conv with { Backbone = ((Convolutional1dBackboneSpec)conv.Backbone) with { DenseHidden = [] } });
    }

    [Fact]
    public void The_1d_encoder_has_the_layer_sizes_its_spec_describes()
    {
        using var model = AutoencoderSpec.Convolutional1d([2, 33], latent: 4, channels: [8, 6], kernel: 5, denseHidden: [10]).Build();

        // 33 → 17 → 9 steps; 6 channels · 9 steps = 54 features, then the dense layer of 10.
        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        shapes["encoder.layers.conv0.weight"].Should().Equal(8, 2, 5);
        shapes["encoder.layers.conv1.weight"].Should().Equal(6, 8, 5);
        shapes["encoder.dense.linear0.weight"].Should().Equal(10, 54);
        model.Encoder.OutputSize.Should().Be(10);
        shapes["decoder.layers.dense0.weight"].Should().Equal(10, 4);
        shapes["decoder.layers.linear.weight"].Should().Equal(54, 10);
        shapes["decoder.layers.deconv1.weight"].Should().Equal(6, 8, 5);
        shapes["decoder.layers.deconv0.weight"].Should().Equal(8, 2, 5);
    }

    [Theory]
    [InlineData(RecurrentCell.Lstm)]
    [InlineData(RecurrentCell.Gru)]
    public void The_recurrent_encoder_computes_the_textbook_recurrence_over_the_length_axis(RecurrentCell cell)
    {
        const int channels = 2, length = 6, hidden = 4;
        using var model = AutoencoderSpec.Recurrent([channels, length], latent: 2, hidden: [hidden], cell).Build(seed: 5);
        using var x = torch.randn(3, channels, length, generator: new torch.Generator(7));
        var state = model.Encoder.state_dict();
        var unit = cell == RecurrentCell.Lstm ? "lstm" : "gru";
        double[] Values(string name) => state[$"layers.recurrent0.{unit}.{name}"].to_type(torch.float64).data<double>().ToArray();
        var (wi, wh, bi, bh) = (Values("weight_ih_l0"), Values("weight_hh_l0"), Values("bias_ih_l0"), Values("bias_hh_l0"));
        var inputs = x.to_type(torch.float64).data<double>().ToArray();

        using var features = model.Encoder.forward(x);

        var actual = features.to_type(torch.float64).data<double>().ToArray();
        for (var b = 0; b < 3; b++)
        {
            var steps = Enumerable.Range(0, length)
                .Select(t => Enumerable.Range(0, channels).Select(c => inputs[(b * channels * length) + (c * length) + t]).ToArray());
            var expected = cell == RecurrentCell.Lstm ? Reference.Lstm(steps, wi, wh, bi, bh, hidden) : Reference.Gru(steps, wi, wh, bi, bh, hidden);
            actual.Skip(b * hidden).Take(hidden).Should().Equal(expected, (a, e) => Math.Abs(a - e) < 1e-5, $"sample {b}");
        }
    }

    [Theory]
    [InlineData("convolutional1d")]
    [InlineData("lstm")]
    [InlineData("gru")]
    public void A_sequence_autoencoder_learns_to_reconstruct_sine_windows(string backbone)
    {
        const int channels = 2, length = 16;
        using var train = InMemoryDataset.FromArray(Synthetic.SineWindows(256, channels, length, seed: 1), [channels, length]);
        var test = Synthetic.SineWindows(64, channels, length, seed: 2);
        var spec = backbone switch
        {
            "convolutional1d" => AutoencoderSpec.Convolutional1d([channels, length], latent: 2, channels: [8, 8], kernel: 5),
            "lstm" => AutoencoderSpec.Recurrent([channels, length], latent: 2, hidden: [16]),
            _ => AutoencoderSpec.Recurrent([channels, length], latent: 2, hidden: [16], RecurrentCell.Gru),
        };
        using var model = spec.Build(seed: 3);

        new Trainer(new TrainerOptions { Epochs = 25, BatchSize = 32, LearningRate = 1e-2, Seed = 4 }).Fit(model, train);

        var variance = test.Cast<float>().Select(v => (double)v * v).Average();   // the windows have mean ≈ 0
        using var testData = InMemoryDataset.FromArray(test, [channels, length]);
        model.MeanSquaredError(testData).Should().BeLessThan(0.1 * variance);
    }

    /// <summary>PyTorch's LSTM and GRU equations in float64, from zero initial states; the last hidden state.</summary>
    private static class Reference
    {
        public static double[] Lstm(IEnumerable<double[]> steps, double[] wi, double[] wh, double[] bi, double[] bh, int hidden)
        {
            var h = new double[hidden];
            var c = new double[hidden];
            foreach (var x in steps)
            {
                var fromInput = Affine(wi, bi, x);   // the gates stacked as (input, forget, cell, output)
                var fromState = Affine(wh, bh, h);
                double Gate(int gate, int k) => fromInput[(gate * hidden) + k] + fromState[(gate * hidden) + k];
                for (var k = 0; k < hidden; k++)
                {
                    c[k] = (Sigmoid(Gate(1, k)) * c[k]) + (Sigmoid(Gate(0, k)) * Math.Tanh(Gate(2, k)));
                }

                h = Enumerable.Range(0, hidden).Select(k => Sigmoid(Gate(3, k)) * Math.Tanh(c[k])).ToArray();
            }

            return h;
        }

        public static double[] Gru(IEnumerable<double[]> steps, double[] wi, double[] wh, double[] bi, double[] bh, int hidden)
        {
            var h = new double[hidden];
            foreach (var x in steps)
            {
                var fromInput = Affine(wi, bi, x);   // the gates stacked as (reset, update, new)
                var fromState = Affine(wh, bh, h);
                h = Enumerable.Range(0, hidden).Select(k =>
                {
                    var reset = Sigmoid(fromInput[k] + fromState[k]);
                    var update = Sigmoid(fromInput[hidden + k] + fromState[hidden + k]);
                    var candidate = Math.Tanh(fromInput[(2 * hidden) + k] + (reset * fromState[(2 * hidden) + k]));
                    return ((1 - update) * candidate) + (update * h[k]);
                }).ToArray();
            }

            return h;
        }

        /// <summary>W·v + b for a row-major W of b.Length rows.</summary>
        private static double[] Affine(double[] w, double[] b, double[] v) =>
            Enumerable.Range(0, b.Length).Select(r => b[r] + Enumerable.Range(0, v.Length).Sum(j => w[(r * v.Length) + j] * v[j])).ToArray();

        private static double Sigmoid(double v) => 1 / (1 + Math.Exp(-v));
    }
}
