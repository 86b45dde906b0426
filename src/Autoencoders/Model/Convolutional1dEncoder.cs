using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Strided 1-D convolutions over time (optionally batch-normalised) with an activation each, then
/// flatten, then optional dense layers (Linear → activation each). Reads [batch, channels, length].
/// </summary>
public sealed class Convolutional1dEncoder : Encoder
{
    private readonly Sequential layers;
    private readonly Sequential? dense;
    private readonly int outputSize;

    /// <summary>Creates the encoder.</summary>
    /// <param name="inputShape">[channels, length] of one sample.</param>
    /// <param name="channels">Output channels of each convolution.</param>
    /// <param name="kernel">Odd kernel size.</param>
    /// <param name="stride">Stride of each convolution.</param>
    /// <param name="batchNorm">Whether to batch-normalise after each convolution.</param>
    /// <param name="activation">The nonlinearity after each convolution and each dense layer.</param>
    /// <param name="denseHidden">Widths of the dense layers after the flattened feature map; empty for none.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public Convolutional1dEncoder(
        IReadOnlyList<int> inputShape,
        IReadOnlyList<int> channels,
        int kernel,
        int stride,
        bool batchNorm,
        Activation activation,
        IReadOnlyList<int> denseHidden,
        Device? device = null)
        : base(nameof(Convolutional1dEncoder))
    {
        layers = nn.Sequential();
        var inChannels = SequenceShape.Channels(inputShape);
        var lengths = Convolutional1dBackboneSpec.Lengths(SequenceShape.Length(inputShape), channels.Count, stride);
        for (var i = 0; i < channels.Count; i++)
        {
            layers.append($"conv{i}", nn.Conv1d(inChannels, channels[i], kernel, stride: stride, padding: kernel / 2, device: device));
            if (batchNorm)
            {
                layers.append($"norm{i}", new BatchNormalization(channels[i], spatialDimensions: 1, device));
            }

            layers.append($"act{i}", ActivationModules.Create(activation));
            inChannels = channels[i];
        }

        outputSize = checked(inChannels * lengths[^1]);
        dense = DenseStack.Create(outputSize, denseHidden, activation, device, out outputSize);

        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => outputSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var features = layers.forward(input).flatten(1);
        return dense is null ? features : dense.forward(features);
    }
}
