using Autoencoders.Data;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A multilayer perceptron backbone. The encoder flattens the input and applies the hidden layers in
/// order; the decoder applies them in reverse order and ends with a linear layer to the input size.
/// </summary>
/// <example>
/// <code>
/// var backbone = new DenseBackboneSpec { Hidden = [512, 128], Activation = Activation.ReLU };
/// </code>
/// </example>
public sealed record DenseBackboneSpec : BackboneSpec
{
    /// <summary>Widths of the encoder's hidden layers, input side first. Empty for a linear model.</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [];

    /// <summary>The nonlinearity after each hidden layer.</summary>
    public Activation Activation { get; init; } = Activation.ReLU;

    internal override Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device) =>
        new DenseEncoder(Shapes.Product(inputShape), Hidden, Activation, device);

    internal override Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device) =>
        new DenseDecoder(latentSize, Hidden.Reverse().ToArray(), Activation, inputShape, device);

    internal override void Validate(IReadOnlyList<int> inputShape)
    {
        ArgumentNullException.ThrowIfNull(Hidden, nameof(Hidden));
        for (var i = 0; i < Hidden.Count; i++)
        {
            if (Hidden[i] <= 0)
            {
                throw new ArgumentException($"Hidden layer {i} has width {Hidden[i]}; every width must be positive.");
            }
        }

        if (!Enum.IsDefined(Activation))
        {
            throw new ArgumentException($"Unknown activation {Activation}.");
        }
    }

    /// <inheritdoc />
    public bool Equals(DenseBackboneSpec? other) =>
        other is not null && Activation == other.Activation && Hidden.SequenceEqual(other.Hidden);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Activation, Hidden.Count);
}
