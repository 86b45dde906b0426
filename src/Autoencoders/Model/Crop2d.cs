using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>Keeps the top-left height×width of a [batch, channels, H, W] tensor.</summary>
/// <remarks>
/// A transposed convolution's output padding only appends rows and columns at the bottom and right,
/// so cropping them off equals a smaller output padding. TorchSharp 0.107's ConvTranspose2d applies
/// the first element of an output-padding pair to both dimensions, so the decoder uses the larger of
/// the two and crops the dimension that needed less.
/// </remarks>
internal sealed class Crop2d : nn.Module<Tensor, Tensor>
{
    public Crop2d(long height, long width)
        : base(nameof(Crop2d))
    {
        Height = height;
        Width = width;
    }

    /// <summary>The height kept (read by the ONNX exporter).</summary>
    public long Height { get; }

    /// <summary>The width kept.</summary>
    public long Width { get; }

    public override Tensor forward(Tensor input) => input.narrow(2, 0, Height).narrow(3, 0, Width);
}
