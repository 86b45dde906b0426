using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The mirror of <see cref="ConvolutionalEncoder"/>: the dense layers in reverse (Linear → activation
/// each), Linear → activation → unflatten, then transposed
/// convolutions back to the input's channels, with per-layer output padding that restores the exact
/// height and width.
/// </summary>
public sealed class ConvolutionalDecoder : Decoder
{
    private readonly Sequential layers;

    /// <summary>Creates the decoder.</summary>
    /// <param name="latentSize">The size of the code.</param>
    /// <param name="inputShape">[channels, height, width] of one sample, which the output reproduces.</param>
    /// <param name="channels">The encoder's channels, input side first (applied here in reverse).</param>
    /// <param name="kernel">Odd kernel size.</param>
    /// <param name="stride">Stride of each transposed convolution.</param>
    /// <param name="batchNorm">Whether to batch-normalise after each hidden transposed convolution.</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="denseHidden">The encoder's dense widths, feature-map side first (applied here in reverse); null or empty for none.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public ConvolutionalDecoder(
        int latentSize,
        IReadOnlyList<int> inputShape,
        IReadOnlyList<int> channels,
        int kernel,
        int stride,
        bool batchNorm,
        Activation activation,
        IReadOnlyList<int>? denseHidden = null,
        Device? device = null)
        : base(nameof(ConvolutionalDecoder))
    {
        var heights = new int[channels.Count + 1];
        var widths = new int[channels.Count + 1];
        heights[0] = inputShape[1];
        widths[0] = inputShape[2];
        for (var i = 0; i < channels.Count; i++)
        {
            heights[i + 1] = ConvolutionalBackboneSpec.Downsampled(heights[i], stride);
            widths[i + 1] = ConvolutionalBackboneSpec.Downsampled(widths[i], stride);
        }

        var last = channels.Count;
        layers = nn.Sequential();
        IReadOnlyList<int> dense = denseHidden ?? [];
        var width = latentSize;
        for (var i = dense.Count - 1; i >= 0; i--)
        {
            layers.append($"dense{i}", nn.Linear(width, dense[i], device: device));
            layers.append($"denseact{i}", ActivationModules.Create(activation));
            width = dense[i];
        }

        layers.append("linear", nn.Linear(width, checked(channels[last - 1] * heights[last] * widths[last]), device: device));
        layers.append("act", ActivationModules.Create(activation));
        layers.append("unflatten", nn.Unflatten(1, [channels[last - 1], heights[last], widths[last]]));
        for (var i = last - 1; i >= 0; i--)
        {
            var outChannels = i == 0 ? inputShape[0] : channels[i - 1];

            // A transposed convolution maps size n to (n − 1)·stride + 1 with "same" padding; the output
            // padding adds back what the strided convolution's floor dropped.
            var paddingH = heights[i] - (((heights[i + 1] - 1) * stride) + 1);
            var paddingW = widths[i] - (((widths[i + 1] - 1) * stride) + 1);
            var padding = Math.Max(paddingH, paddingW);
            layers.append($"deconv{i}", nn.ConvTranspose2d(channels[i], outChannels, kernel, stride: stride, padding: kernel / 2, output_padding: padding, device: device));
            if (paddingH != paddingW)
            {
                layers.append($"crop{i}", new Crop2d(heights[i], widths[i]));
            }

            if (i > 0)
            {
                if (batchNorm)
                {
                    layers.append($"norm{i}", new BatchNormalization(outChannels, spatialDimensions: 2, device));
                }

                layers.append($"act{i}", ActivationModules.Create(activation));
            }
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => ChannelsLastConvolution.Forward(layers, input);
}
