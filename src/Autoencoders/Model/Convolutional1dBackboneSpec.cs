using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A 1-D convolutional backbone for sequences shaped [channels, length] (one row per channel, one column
/// per time step; a univariate window of 32 steps is [1, 32]). The encoder applies, for each entry of
/// <see cref="Channels"/>, a convolution over time with kernel <see cref="Kernel"/>, stride
/// <see cref="Stride"/> and "same" padding (optionally batch norm), then the activation, flattens, and
/// applies the optional <see cref="DenseHidden"/> layers. The decoder mirrors it: the dense layers in
/// reverse, a linear layer to the last feature map, then transposed convolutions whose output padding is
/// chosen per layer so that the output has exactly the input's length, whatever it is (32 steps with two
/// stride-2 layers go 32 → 16 → 8 → 16 → 32; 33 go 33 → 17 → 9 → 17 → 33).
/// </summary>
/// <example>
/// <code>
/// // Windows of 64 steps of 3 sensors, two stride-2 convolutions of kernel 7, an 8-value code:
/// var spec = AutoencoderSpec.Convolutional1d([3, 64], latent: 8, channels: [32, 16]);
/// // JSON: "backbone": {"type": "convolutional1d", "channels": [32, 16], "kernel": 7, "stride": 2, ...}
/// </code>
/// </example>
public sealed record Convolutional1dBackboneSpec : BackboneSpec
{
    /// <summary>Output channels of each convolution, input side first.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [32, 16];

    /// <summary>
    /// Widths of the dense layers between the flattened last feature map and the code, feature-map side
    /// first (the decoder applies them in reverse); empty (the default) for none. They are not batch-normalised.
    /// </summary>
    public IReadOnlyList<int> DenseHidden { get; init; } = [];

    /// <summary>The (odd) kernel size of every convolution, in time steps.</summary>
    public int Kernel { get; init; } = 7;

    /// <summary>The stride of every convolution (2 halves the length at each layer).</summary>
    public int Stride { get; init; } = 2;

    /// <summary>Whether each hidden convolution is followed by batch normalisation.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    internal override Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device) =>
        new Convolutional1dEncoder(inputShape, Channels, Kernel, Stride, BatchNorm, Activation, DenseHidden, device);

    internal override Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device) =>
        new Convolutional1dDecoder(latentSize, inputShape, Channels, Kernel, Stride, BatchNorm, Activation, DenseHidden, device);

    internal override void Validate(IReadOnlyList<int> inputShape)
    {
        SequenceShape.Require(inputShape, "A 1-D convolutional backbone");
        BackboneChecks.PositiveSizes(Channels, nameof(Channels), "Convolution", required: true);
        BackboneChecks.PositiveSizes(DenseHidden, nameof(DenseHidden), "Dense layer", required: false);
        BackboneChecks.Convolution(Kernel, Stride);
        BackboneChecks.Defined(Activation);
    }

    /// <summary>The lengths of the input and of each feature map: [length, after layer 0, after layer 1, ...].</summary>
    internal static int[] Lengths(int length, int layers, int stride)
    {
        var lengths = new int[layers + 1];
        lengths[0] = length;
        for (var i = 0; i < layers; i++)
        {
            lengths[i + 1] = ConvolutionalBackboneSpec.Downsampled(lengths[i], stride);
        }

        return lengths;
    }

    /// <inheritdoc />
    public bool Equals(Convolutional1dBackboneSpec? other) =>
        other is not null && Kernel == other.Kernel && Stride == other.Stride && BatchNorm == other.BatchNorm &&
        Activation == other.Activation && Channels.SequenceEqual(other.Channels) && DenseHidden.SequenceEqual(other.DenseHidden);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kernel, Stride, BatchNorm, Activation, Channels.Count, DenseHidden.Count);
}
