using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The mirror of <see cref="Convolutional1dEncoder"/>: the dense layers in reverse (Linear → activation
/// each), Linear → activation → unflatten to the last feature map, then transposed 1-D convolutions back
/// to the input's channels, with per-layer output padding that restores the exact length.
/// </summary>
public sealed class Convolutional1dDecoder : Decoder
{
    private readonly Sequential layers;

    /// <summary>Creates the decoder.</summary>
    /// <param name="latentSize">The size of the code.</param>
    /// <param name="inputShape">[channels, length] of one sample, which the output reproduces.</param>
    /// <param name="channels">The encoder's channels, input side first (applied here in reverse).</param>
    /// <param name="kernel">Odd kernel size.</param>
    /// <param name="stride">Stride of each transposed convolution.</param>
    /// <param name="batchNorm">Whether to batch-normalise after each hidden transposed convolution.</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="denseHidden">The encoder's dense widths, feature-map side first (applied here in reverse); empty for none.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public Convolutional1dDecoder(
        int latentSize,
        IReadOnlyList<int> inputShape,
        IReadOnlyList<int> channels,
        int kernel,
        int stride,
        bool batchNorm,
        Activation activation,
        IReadOnlyList<int> denseHidden,
        Device? device = null)
        : base(nameof(Convolutional1dDecoder))
    {
        var lengths = Convolutional1dBackboneSpec.Lengths(SequenceShape.Length(inputShape), channels.Count, stride);
        var last = channels.Count;
        layers = nn.Sequential();
        var width = latentSize;
        for (var i = denseHidden.Count - 1; i >= 0; i--)
        {
            layers.append($"dense{i}", nn.Linear(width, denseHidden[i], device: device));
            layers.append($"denseact{i}", ActivationModules.Create(activation));
            width = denseHidden[i];
        }

        layers.append("linear", nn.Linear(width, checked(channels[last - 1] * lengths[last]), device: device));
        layers.append("act", ActivationModules.Create(activation));
        layers.append("unflatten", nn.Unflatten(1, [channels[last - 1], lengths[last]]));
        for (var i = last - 1; i >= 0; i--)
        {
            var outChannels = i == 0 ? SequenceShape.Channels(inputShape) : channels[i - 1];

            // With "same" padding a transposed convolution maps n steps to (n − 1)·stride + 1; the output
            // padding (always below the stride) adds back what the strided convolution's floor dropped.
            var outputPadding = lengths[i] - (((lengths[i + 1] - 1) * stride) + 1);
            layers.append($"deconv{i}", nn.ConvTranspose1d(channels[i], outChannels, kernel, stride: stride, padding: kernel / 2, output_padding: outputPadding, device: device));
            if (i > 0)
            {
                if (batchNorm)
                {
                    layers.append($"norm{i}", new BatchNormalization(outChannels, spatialDimensions: 1, device));
                }

                layers.append($"act{i}", ActivationModules.Create(activation));
            }
        }

        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input);
}
