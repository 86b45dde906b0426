using System.Text.Json.Serialization;
using Autoencoders.Data;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A convolutional backbone for [channels, height, width] inputs. The encoder applies, for each entry
/// of <see cref="Channels"/>, a <see cref="Kernel"/>×<see cref="Kernel"/> convolution with stride
/// <see cref="Stride"/> and "same" padding (optionally batch norm), then the activation, flattens, and
/// applies the optional <see cref="DenseHidden"/> layers (linear and activation each).
/// The decoder mirrors it: the dense layers in reverse, a linear layer and activation to the last
/// feature map, then transposed convolutions whose output
/// padding is chosen per layer so that the output has exactly the input's height and width, whatever
/// they are (28×28 with two stride-2 layers goes 28 → 14 → 7 → 14 → 28; 27 goes 27 → 14 → 7 → 14 → 27).
/// </summary>
/// <example>
/// <code>
/// var spec = AutoencoderSpec.Convolutional([1, 28, 28], latent: 32, channels: [32, 64], output: OutputActivation.Sigmoid);
///
/// // The conv AE of Sainburg, McInnes &amp; Gentner (2021): 64 and 128 channels, then a dense layer of 512.
/// var published = AutoencoderSpec.Convolutional([1, 28, 28], latent: 2, channels: [64, 128], denseHidden: [512]);
/// </code>
/// </example>
public sealed record ConvolutionalBackboneSpec : BackboneSpec
{
    /// <summary>Output channels of each convolution, input side first.</summary>
    public IReadOnlyList<int> Channels { get; init; } = [32, 64];

    /// <summary>
    /// Widths of the dense layers between the flattened last feature map and the code, feature-map side
    /// first (the decoder applies them in reverse); empty (the default) for none. They are not batch-normalised.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<int> DenseHidden { get; init; } = [];

    /// <summary>
    /// <see cref="DenseHidden"/> as JSON: left out when empty, so that a spec without dense layers writes
    /// exactly the JSON it wrote before the property existed, and such JSON (and older files) still read.
    /// </summary>
    [JsonInclude]
    [JsonPropertyName("denseHidden")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    private IReadOnlyList<int>? DenseHiddenJson
    {
        get => DenseHidden is { Count: > 0 } ? DenseHidden : null;
        init => DenseHidden = value ?? [];
    }

    /// <summary>The (odd) kernel size of every convolution.</summary>
    public int Kernel { get; init; } = 3;

    /// <summary>The stride of every convolution (2 halves the resolution at each layer).</summary>
    public int Stride { get; init; } = 2;

    /// <summary>Whether each hidden convolution is followed by batch normalisation.</summary>
    public bool BatchNorm { get; init; }

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    internal override Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device) =>
        new ConvolutionalEncoder(inputShape, Channels, Kernel, Stride, BatchNorm, Activation, DenseHidden, device);

    internal override Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device) =>
        new ConvolutionalDecoder(latentSize, inputShape, Channels, Kernel, Stride, BatchNorm, Activation, DenseHidden, device);

    internal override void Validate(IReadOnlyList<int> inputShape)
    {
        RequireImageShape(inputShape);
        ArgumentNullException.ThrowIfNull(Channels, nameof(Channels));
        if (Channels.Count == 0)
        {
            throw new ArgumentException("A convolutional backbone needs at least one channel count.");
        }

        for (var i = 0; i < Channels.Count; i++)
        {
            if (Channels[i] <= 0)
            {
                throw new ArgumentException($"Convolution {i} has {Channels[i]} channels; every count must be positive.");
            }
        }

        ArgumentNullException.ThrowIfNull(DenseHidden, nameof(DenseHidden));
        for (var i = 0; i < DenseHidden.Count; i++)
        {
            if (DenseHidden[i] <= 0)
            {
                throw new ArgumentException($"Dense layer {i} has width {DenseHidden[i]}; every width must be positive.");
            }
        }

        if (Kernel <= 0 || Kernel % 2 == 0)
        {
            throw new ArgumentException($"The kernel size must be odd and positive; it is {Kernel}.");
        }

        if (Stride <= 0)
        {
            throw new ArgumentException($"The stride must be positive; it is {Stride}.");
        }

        if (!Enum.IsDefined(Activation))
        {
            throw new ArgumentException($"Unknown activation {Activation}.");
        }
    }

    /// <summary>
    /// 64 images: the patch matrices and activations of a batch then stay in the cache (BENCH-CONV's largest,
    /// conv1's patches, take 3.6 MB), where the matrix products run near the SGEMM peak and the patch copies
    /// and scatters are several times faster than from memory. Measured on BENCH-CONV at 2 threads, 10,000
    /// images after a collection, three runs each: 64 gave 19,100–19,800 images/s, 256 gave 16,200–18,000
    /// (and an earlier B1 found 256 4.4× faster than 1,024).
    /// </summary>
    internal override int InferenceBatchSize => 64;

    /// <summary>The spatial size after a "same"-padded convolution with this stride.</summary>
    internal static int Downsampled(int size, int stride) => ((size - 1) / stride) + 1;

    private static void RequireImageShape(IReadOnlyList<int> inputShape)
    {
        if (inputShape.Count != 3)
        {
            throw new ArgumentException(
                $"A convolutional backbone takes inputs shaped [channels, height, width]; the input shape is {Shapes.Format(inputShape)}.");
        }
    }

    /// <inheritdoc />
    public bool Equals(ConvolutionalBackboneSpec? other) =>
        other is not null && Kernel == other.Kernel && Stride == other.Stride && BatchNorm == other.BatchNorm &&
        Activation == other.Activation && Channels.SequenceEqual(other.Channels) && DenseHidden.SequenceEqual(other.DenseHidden);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kernel, Stride, BatchNorm, Activation, Channels.Count, DenseHidden.Count);
}
