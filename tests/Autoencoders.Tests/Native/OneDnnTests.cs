using Autoencoders.Model;
using Autoencoders.Native;
using TorchSharp;

namespace Autoencoders.Tests.Native;

/// <summary>
/// Guards against libtorch's oneDNN transposed-convolution kernels, which returned wrong, changing
/// values on our CI machines: the library switches oneDNN off, and convolutions must then agree with a
/// float64 computation forwards and backwards.
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

    private static double RelativeError(torch.Tensor a, torch.Tensor b) =>
        (a.to(torch.float64) - b).abs().max().item<double>() / (b.abs().max().item<double>() + 1e-12);
}
