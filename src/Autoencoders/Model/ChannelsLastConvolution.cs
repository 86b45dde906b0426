using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Runs the library's convolution stacks with each <see cref="Conv2d"/> and <see cref="ConvTranspose2d"/>
/// computed as one matrix product over the whole batch, channels last, instead of by libtorch's native CPU
/// kernels. The modules keep their parameters, names and layout (model files and ONNX export see no
/// difference); only the arithmetic's order changes, and tests check it against float64.
/// </summary>
/// <remarks>
/// <para>Why: with oneDNN switched off (see <c>Native/OneDnn.cs</c>) libtorch convolves on the CPU sample by
/// sample. Its weight gradients and its whole transposed convolution loop over the batch, one small
/// matrix product per sample, each split across threads; on two threads the benchmark network trained
/// slower than on one. Here every convolution is <see cref="Patches.Extract"/> (im2col) and one product
/// [batch·positions, kernel·channels] × [kernel·channels, out channels]; every transposed convolution is
/// one product [batch·positions, in channels] × [in channels, kernel·out channels] and
/// <see cref="Patches.Scatter"/> (col2im). The backward passes are products of the same sizes and the
/// adjoint patch operation. All of it runs on libtorch's multithreaded GEMM and elementwise kernels.</para>
/// <para>Outputs come back as NCHW tensors whose memory is channels last, which is what the next
/// convolution reads; batch norm and activations accept either.</para>
/// </remarks>
internal static class ChannelsLastConvolution
{
    /// <summary>
    /// When set on a thread, <see cref="Forward"/> on that thread leaves every convolution to libtorch's own
    /// kernels: the tests compare both paths.
    /// </summary>
    [ThreadStatic]
    internal static bool t_nativeKernels;

    /// <summary>
    /// Runs <paramref name="layers"/> on <paramref name="input"/>, computing the convolutions this class
    /// supports its own way on the CPU (other devices have their own convolution libraries).
    /// </summary>
    public static Tensor Forward(Sequential layers, Tensor input)
    {
        if (t_nativeKernels || input.device_type != DeviceType.CPU)
        {
            return layers.forward(input);
        }

        var x = input;
        foreach (var (_, module) in layers.named_children())
        {
            x = module switch
            {
                Conv2d conv when Supports(conv) => Convolve(x, conv),
                ConvTranspose2d deconv when Supports(deconv) => ConvolveTransposed(x, deconv),
                nn.Module<Tensor, Tensor> other => other.forward(x),
                _ => throw new InvalidOperationException($"The module {module.GetType().Name} does not map one tensor to one tensor."),
            };
        }

        return x;
    }

    /// <summary>Whether the convolution is one this class computes: zero padding given as numbers, no dilation, one group, 4-D input.</summary>
    public static bool Supports(Convolution module) =>
        module.groups == 1
        && module.padding_type is null
        && module.padding_mode == PaddingModes.Zeros
        && PerAxis(module.dilation, 1).All(d => d == 1)
        && module.weight is not null
        && module.weight.dim() == 4;

    /// <summary>The convolution <paramref name="module"/> computes, on an NCHW input.</summary>
    public static Tensor Convolve(Tensor input, Conv2d module)
    {
        var weight = module.weight!;
        var (batch, channels, outChannels) = (input.shape[0], input.shape[1], weight.shape[0]);
        var g = PatchGeometry.OfConvolution([weight.shape[2], weight.shape[3]], PerAxis(module.stride, 1), PerAxis(module.padding, 0), input.shape[2], input.shape[3]);
        var patches = Patches.Extract(input.permute(0, 2, 3, 1), g).view(batch * g.OutputHeight * g.OutputWidth, g.PatchSize(channels));
        var matrix = weight.permute(2, 3, 1, 0).reshape(g.PatchSize(channels), outChannels);
        var output = module.bias is { } bias ? torch.addmm(bias, patches, matrix, 1, 1) : patches.mm(matrix);
        return output.view(batch, g.OutputHeight, g.OutputWidth, outChannels).permute(0, 3, 1, 2);
    }

    /// <summary>The transposed convolution <paramref name="module"/> computes, on an NCHW input.</summary>
    public static Tensor ConvolveTransposed(Tensor input, ConvTranspose2d module)
    {
        var weight = module.weight!;
        var (batch, channels, height, width) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3]);
        var outChannels = weight.shape[1];
        var g = PatchGeometry.OfTransposedConvolution(
            [weight.shape[2], weight.shape[3]], PerAxis(module.stride, 1), PerAxis(module.padding, 0), PerAxis(module.output_padding, 0), height, width);
        var rows = input.permute(0, 2, 3, 1).reshape(batch * height * width, channels);
        var matrix = weight.permute(0, 2, 3, 1).reshape(channels, g.PatchSize(outChannels));
        var patches = rows.mm(matrix).view(batch, height, width, g.KernelHeight, g.KernelWidth, outChannels);
        var output = Patches.Scatter(patches, g);
        if (module.bias is { } bias)
        {
            output = output.Add(bias);
        }

        return output.permute(0, 3, 1, 2);
    }

    /// <summary>Two values, one per axis (TorchSharp keeps a single value when both axes share it).</summary>
    private static long[] PerAxis(long[]? values, long missing) => values switch
    {
        null or [] => [missing, missing],
        [var one] => [one, one],
        _ => values,
    };
}
