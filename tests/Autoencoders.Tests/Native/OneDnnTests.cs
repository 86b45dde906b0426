using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;

namespace Autoencoders.Tests.Native;

/// <summary>
/// Guards against libtorch's oneDNN transposed-convolution kernels, which returned wrong, changing
/// values on our CI machines: the library switches oneDNN off, and convolutions must then agree with a
/// float64 computation forwards and backwards. The convolutions the library's conv backbone actually runs
/// (<see cref="ChannelsLastConvolution"/>, one matrix product over the batch) are checked the same way,
/// alone and in whole models (batch norm, dense layers), and so are the 1-D backbone's, which stay libtorch's.
/// </summary>
public sealed class OneDnnTests
{
    [Fact]
    public void The_library_switches_onednn_and_nnpack_off_when_it_initialises_libtorch()
    {
        using (AutoencoderSpec.Dense(4, 2, [3]).Build())
        {
        }

        OneDnn.Enabled.Should().BeFalse();
        OneDnn.NnpackEnabled.Should().BeFalse();
    }

    [Fact]
    public void Transposed_and_strided_convolutions_agree_with_float64_forwards_and_backwards()
    {
        using (AutoencoderSpec.Dense(4, 2, [3]).Build())
        {
        }

        var random = new Random(5);
        var failures = new List<string>();
        for (var trial = 0; trial < 40; trial++)
        {
            using var scope = torch.NewDisposeScope();
            int inChannels = new[] { 1, 4, 8 }[random.Next(3)], outChannels = new[] { 1, 2, 4 }[random.Next(3)];
            int size = random.Next(1, 9), outputPadding = random.Next(2);
            var deconv = torch.nn.ConvTranspose2d(inChannels, outChannels, 3, stride: 2, padding: 1, output_padding: outputPadding);
            var conv = torch.nn.Conv2d(outChannels, inChannels, 3, stride: 2, padding: 1);
            var x = torch.randn(2, inChannels, size, size).requires_grad_(true);
            var y = conv.forward(deconv.forward(x));
            y.Square().sum().backward();
            var (y32, gradient32) = (y.detach().clone(), x.grad!.clone());

            deconv.to(torch.float64);
            conv.to(torch.float64);
            var x64 = x.detach().to(torch.float64).requires_grad_(true);
            var y64 = conv.forward(deconv.forward(x64));
            y64.Square().sum().backward();

            var forwardError = RelativeError(y32, y64);
            var backwardError = RelativeError(gradient32, x64.grad!);
            if (forwardError > 1e-4 || backwardError > 1e-4)
            {
                failures.Add($"in {inChannels} out {outChannels} size {size} output padding {outputPadding}: forward {forwardError:g3}, backward {backwardError:g3}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Fact]
    public void The_backbones_convolutions_agree_with_float64_forwards_and_backwards()
    {
        using (AutoencoderSpec.Dense(4, 2, [3]).Build())
        {
        }

        var random = new Random(11);
        var failures = new List<string>();
        for (var trial = 0; trial < 60; trial++)
        {
            using var scope = torch.NewDisposeScope();
            long inChannels = new[] { 1, 3, 8 }[random.Next(3)], outChannels = new[] { 1, 2, 5 }[random.Next(3)];
            long kernel = new[] { 1, 3, 5 }[random.Next(3)], stride = random.Next(1, 4), padding = random.Next(0, (int)kernel);
            long height = random.Next(1, 10), width = random.Next(1, 10), outputPadding = random.Next(0, (int)stride);
            var transposed = random.Next(2) == 1;
            var describe = $"{(transposed ? "transposed" : "strided")} in {inChannels} out {outChannels} kernel {kernel} stride {stride} padding {padding} output padding {outputPadding} {height}×{width}";
            if (!transposed && (height + (2 * padding) < kernel || width + (2 * padding) < kernel))
            {
                continue;
            }

            if (transposed && (((height - 1) * stride) - (2 * padding) + kernel + outputPadding < 1 || ((width - 1) * stride) - (2 * padding) + kernel + outputPadding < 1))
            {
                continue;
            }

            TorchSharp.Modules.Convolution layer = transposed
                ? torch.nn.ConvTranspose2d(inChannels, outChannels, kernel, stride: stride, padding: padding, output_padding: outputPadding)
                : torch.nn.Conv2d(inChannels, outChannels, kernel, stride: stride, padding: padding);
            torch.Tensor Ours(torch.Tensor x) => transposed
                ? ChannelsLastConvolution.ConvolveTransposed(x, (TorchSharp.Modules.ConvTranspose2d)layer)
                : ChannelsLastConvolution.Convolve(x, (TorchSharp.Modules.Conv2d)layer);
            torch.Tensor Native(torch.Tensor x) => transposed ? ((TorchSharp.Modules.ConvTranspose2d)layer).forward(x) : ((TorchSharp.Modules.Conv2d)layer).forward(x);

            var x32 = torch.randn(3, inChannels, height, width).requires_grad_(true);
            var y32 = Ours(x32);
            var upstream = torch.randn_like(y32);
            var gradients32 = torch.autograd.grad([y32], [x32, layer.weight!, layer.bias!], [upstream]).Select(g => g.clone()).ToArray();

            layer.to(torch.float64);
            var x64 = x32.detach().to(torch.float64).requires_grad_(true);
            var y64 = Native(x64);
            var gradients64 = torch.autograd.grad([y64], [x64, layer.weight!, layer.bias!], [upstream.to(torch.float64)]);
            var ours64 = Ours(x64);

            var errors = new[] { RelativeError(y32, y64) }.Concat(gradients32.Zip(gradients64).Select(p => RelativeError(p.First, p.Second))).ToArray();
            if (!y32.shape.SequenceEqual(y64.shape) || errors.Any(e => e > 1e-4) || RelativeError(ours64, y64) > 1e-12)
            {
                failures.Add($"{describe}: forward {errors[0]:g3}, gradients {string.Join(", ", errors.Skip(1).Select(e => e.ToString("g3")))}; float64 forward {RelativeError(ours64, y64):g3}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void A_convolutional_model_computes_in_float64_what_libtorchs_own_convolutions_compute(bool batchNorm, bool denseLayers)
    {
        using var model = AutoencoderSpec.Convolutional([2, 9, 7], 3, [4, 6], batchNorm: batchNorm, denseHidden: denseLayers ? [10, 5] : null).Build(seed: 3);
        model.to(torch.float64);
        using var x = torch.rand(5, 2, 9, 7, dtype: torch.float64, generator: new torch.Generator(4));

        var (ours, ourGradients) = OutputAndGradients(model, x);
        ChannelsLastConvolution.t_nativeKernels = true;
        try
        {
            var (native, nativeGradients) = OutputAndGradients(model, x);

            RelativeError(ours, native).Should().BeLessThan(1e-12);

            // Relative to the largest gradient: a convolution's bias just before batch norm has a gradient that is zero up to rounding.
            var scale = nativeGradients.Max(g => g.abs().max().item<double>());
            ourGradients.Zip(nativeGradients).Should().OnlyContain(p => (p.First - p.Second).abs().max().item<double>() < 1e-12 * scale);
        }
        finally
        {
            ChannelsLastConvolution.t_nativeKernels = false;
        }
    }

    [Fact]
    public void The_1d_backbones_convolutions_run_on_libtorchs_kernels_and_agree_with_float64_forwards_and_backwards()
    {
        // The 1-D backbone keeps libtorch's Conv1d and ConvTranspose1d (ChannelsLastConvolution handles 2-D
        // convolutions only), which oneDNN's absence also affects: the same check on random geometries.
        using (AutoencoderSpec.Dense(4, 2, [3]).Build())
        {
        }

        var random = new Random(13);
        var failures = new List<string>();
        for (var trial = 0; trial < 60; trial++)
        {
            using var scope = torch.NewDisposeScope();
            long inChannels = new[] { 1, 3, 8 }[random.Next(3)], outChannels = new[] { 1, 2, 5 }[random.Next(3)];
            long kernel = new[] { 1, 3, 5, 7 }[random.Next(4)], stride = random.Next(1, 4), padding = kernel / 2;
            long length = random.Next(1, 40), outputPadding = random.Next(0, (int)stride);
            var transposed = random.Next(2) == 1;
            if (!transposed && length + (2 * padding) < kernel)
            {
                continue;
            }

            TorchSharp.Modules.Convolution layer = transposed
                ? torch.nn.ConvTranspose1d(inChannels, outChannels, kernel, stride: stride, padding: padding, output_padding: outputPadding)
                : torch.nn.Conv1d(inChannels, outChannels, kernel, stride: stride, padding: padding);
            torch.Tensor Forward(torch.Tensor x) => transposed ? ((TorchSharp.Modules.ConvTranspose1d)layer).forward(x) : ((TorchSharp.Modules.Conv1d)layer).forward(x);

            var x32 = torch.randn(4, inChannels, length).requires_grad_(true);
            var y32 = Forward(x32);
            var upstream = torch.randn_like(y32);
            var gradients32 = torch.autograd.grad([y32], [x32, layer.weight!, layer.bias!], [upstream]).Select(g => g.clone()).ToArray();

            layer.to(torch.float64);
            var x64 = x32.detach().to(torch.float64).requires_grad_(true);
            var y64 = Forward(x64);
            var gradients64 = torch.autograd.grad([y64], [x64, layer.weight!, layer.bias!], [upstream.to(torch.float64)]);

            var errors = new[] { RelativeError(y32, y64) }.Concat(gradients32.Zip(gradients64).Select(p => RelativeError(p.First, p.Second))).ToArray();
            if (errors.Any(e => e > 1e-4))
            {
                failures.Add($"{(transposed ? "transposed" : "strided")} in {inChannels} out {outChannels} kernel {kernel} stride {stride} output padding {outputPadding} length {length}: " +
                    $"forward {errors[0]:g3}, gradients {string.Join(", ", errors.Skip(1).Select(e => e.ToString("g3")))}");
            }
        }

        failures.Should().BeEmpty();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_1d_convolutional_model_computes_in_float32_what_it_computes_in_float64(bool batchNorm)
    {
        using var model = AutoencoderSpec.Convolutional1d([3, 21], 4, [6, 8], batchNorm: batchNorm, denseHidden: [12], kernel: 5).Build(seed: 5);
        using var x = torch.randn(6, 3, 21, generator: new torch.Generator(6));
        var (output32, gradients32) = OutputAndGradients(model, x);

        model.to(torch.float64);
        var (output64, gradients64) = OutputAndGradients(model, x.to(torch.float64));

        RelativeError(output32, output64).Should().BeLessThan(1e-4);
        var scale = gradients64.Max(g => g.abs().max().item<double>());
        gradients32.Zip(gradients64).Should().OnlyContain(p => (p.First.to(torch.float64) - p.Second).abs().max().item<double>() < 1e-4 * scale);
    }

    /// <summary>The model's reconstruction and the gradients of its loss with respect to every parameter, in training mode.</summary>
    private static (torch.Tensor Output, torch.Tensor[] Gradients) OutputAndGradients(Autoencoder model, torch.Tensor x)
    {
        model.train();
        var loss = model.ComputeLoss(x).Total;
        var gradients = torch.autograd.grad([loss], [.. model.parameters()]).Select(g => g.clone()).ToArray();
        using var noGrad = torch.no_grad();
        return (model.forward(x), gradients);
    }

    private static double RelativeError(torch.Tensor a, torch.Tensor b) =>
        (a.to(torch.float64) - b).abs().max().item<double>() / (b.abs().max().item<double>() + 1e-12);
}
