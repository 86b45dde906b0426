using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Strided convolutions (optionally batch-normalised) with an activation each, then flatten, then
/// optional dense layers (Linear → activation each).
/// </summary>
public sealed class ConvolutionalEncoder : Encoder
{
    private readonly Sequential layers;
    private readonly Sequential? dense;
    private readonly int outputSize;

    /// <summary>Creates the encoder.</summary>
    /// <param name="inputShape">[channels, height, width] of one sample.</param>
    /// <param name="channels">Output channels of each convolution.</param>
    /// <param name="kernel">Odd kernel size.</param>
    /// <param name="stride">Stride of each convolution.</param>
    /// <param name="batchNorm">Whether to batch-normalise after each convolution.</param>
    /// <param name="activation">The nonlinearity after each convolution and each dense layer.</param>
    /// <param name="denseHidden">Widths of the dense layers after the flattened feature map; null or empty for none.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public ConvolutionalEncoder(
        IReadOnlyList<int> inputShape,
        IReadOnlyList<int> channels,
        int kernel,
        int stride,
        bool batchNorm,
        Activation activation,
        IReadOnlyList<int>? denseHidden = null,
        Device? device = null)
        : base(nameof(ConvolutionalEncoder))
    {
        layers = nn.Sequential();
        int inChannels = inputShape[0], height = inputShape[1], width = inputShape[2];
        for (var i = 0; i < channels.Count; i++)
        {
            layers.append($"conv{i}", nn.Conv2d(inChannels, channels[i], kernel, stride: stride, padding: kernel / 2, device: device));
            if (batchNorm)
            {
                layers.append($"norm{i}", new BatchNormalization(channels[i], spatialDimensions: 2, device));
            }

            layers.append($"act{i}", ActivationModules.Create(activation));
            inChannels = channels[i];
            height = ConvolutionalBackboneSpec.Downsampled(height, stride);
            width = ConvolutionalBackboneSpec.Downsampled(width, stride);
        }

        outputSize = checked(inChannels * height * width);

        dense = DenseStack.Create(outputSize, denseHidden ?? [], activation, device, out outputSize);

        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => outputSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var features = ChannelsLastConvolution.Forward(layers, input).flatten(1);
        return dense is null ? features : dense.forward(features);
    }
}
