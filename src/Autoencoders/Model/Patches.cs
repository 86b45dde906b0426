using Autoencoders.Native;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Patch extraction (im2col) over channels-last images and its adjoint, the scatter-add of patches back
/// into an image (col2im), as a pair of autograd functions whose backward passes are each other.
/// </summary>
/// <remarks>
/// Channels last, a patch is <c>kernel height</c> runs of <c>kernel width × channels</c> contiguous values,
/// so extraction is one strided copy with long contiguous runs, and the scatter-add is one strided add per
/// kernel position, each over every patch at once. Both run on libtorch's parallel elementwise kernels.
/// Extracting through <c>Tensor.unfold</c> alone would leave the backward pass to libtorch's
/// <c>unfold_backward</c>, with which the benchmark network's backward pass took three times as long as
/// with libtorch's own convolutions; the explicit adjoint made it slightly faster than them.
/// </remarks>
internal static class Patches
{
    /// <summary>[batch, height, width, channels] → [batch, output height, output width, kernel height, kernel width, channels].</summary>
    public static Tensor Extract(Tensor image, PatchGeometry g) => PatchFunction.apply(image, g, false);

    /// <summary>[batch, output height, output width, kernel height, kernel width, channels] → [batch, height, width, channels], summing overlaps.</summary>
    public static Tensor Scatter(Tensor patches, PatchGeometry g) => PatchFunction.apply(patches, g, true);

    private static Tensor ExtractCore(Tensor image, PatchGeometry g)
    {
        var (batch, channels) = (image.shape[0], image.shape[3]);
        var padded = image;
        if (g.PaddedHeight != g.Height || g.PaddedWidth != g.Width || g.PadHeight != 0 || g.PadWidth != 0)
        {
            padded = torch.zeros([batch, g.PaddedHeight, g.PaddedWidth, channels], dtype: image.dtype, device: image.device);
            padded.narrow(1, g.PadHeight, g.Height).narrow(2, g.PadWidth, g.Width).copy_(image);
        }

        return padded.unfold(1, g.KernelHeight, g.StrideHeight).unfold(2, g.KernelWidth, g.StrideWidth)
            .narrow(1, 0, g.OutputHeight).narrow(2, 0, g.OutputWidth)
            .permute(0, 1, 2, 4, 5, 3)
            .contiguous();
    }

    private static Tensor ScatterCore(Tensor patches, PatchGeometry g)
    {
        var (batch, channels) = (patches.shape[0], patches.shape[5]);
        var padded = torch.zeros([batch, g.PaddedHeight, g.PaddedWidth, channels], dtype: patches.dtype, device: patches.device);
        var rows = ((g.OutputHeight - 1) * g.StrideHeight) + 1;
        var columns = ((g.OutputWidth - 1) * g.StrideWidth) + 1;
        for (long kh = 0; kh < g.KernelHeight; kh++)
        {
            for (long kw = 0; kw < g.KernelWidth; kw++)
            {
                using var target = padded.narrow(1, kh, rows).narrow(2, kw, columns)
                    .slice(1, 0, rows, g.StrideHeight).slice(2, 0, columns, g.StrideWidth);
                using var source = patches.select(4, kw).select(3, kh);
                target.AddInPlace(source);
            }
        }

        return padded.narrow(1, g.PadHeight, g.Height).narrow(2, g.PadWidth, g.Width);
    }

    /// <summary>Extraction or, with the third argument true, scatter; the backward pass is the other one.</summary>
    private sealed class PatchFunction : autograd.SingleTensorFunction<PatchFunction>
    {
        public override string Name => "Patches";

        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
        {
            var (g, scatter) = ((PatchGeometry)vars[1], (bool)vars[2]);
            ctx.save_data(nameof(PatchGeometry), g);
            ctx.save_data(nameof(scatter), scatter);
            return scatter ? ScatterCore((Tensor)vars[0], g) : ExtractCore((Tensor)vars[0], g);
        }

        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
        {
            var g = (PatchGeometry)ctx.get_data(nameof(PatchGeometry));
            var adjoint = (bool)ctx.get_data("scatter") ? ExtractCore(grad_output, g) : ScatterCore(grad_output, g);
            return [adjoint, null!, null!];
        }
    }
}
