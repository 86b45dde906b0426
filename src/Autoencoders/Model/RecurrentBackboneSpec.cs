using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A recurrent backbone for sequences shaped [channels, length] (one row per channel, one column per time
/// step, as for <see cref="Convolutional1dBackboneSpec"/>; a univariate window of 32 steps is [1, 32]).
/// The encoder runs stacked LSTM or GRU layers (<see cref="Cell"/>, widths <see cref="Hidden"/>) over the
/// time steps and hands the top layer's last hidden state to the bottleneck. The decoder is the
/// repeat-vector decoder of the Keras sequence-to-sequence autoencoder (LSTM → RepeatVector → LSTM): the
/// code is fed at every time step to recurrent layers of the mirrored widths, and a linear layer shared
/// by all steps maps each step's state to the channels.
/// </summary>
/// <example>
/// <code>
/// // Windows of 32 steps of one sensor, an LSTM of 64 units, a 4-value code, a variational bottleneck:
/// var spec = AutoencoderSpec.Recurrent([1, 32], latent: 4, hidden: [64]).WithGaussianBottleneck();
/// // JSON: "backbone": {"type": "recurrent", "cell": "Lstm", "hidden": [64]}
/// </code>
/// </example>
public sealed record RecurrentBackboneSpec : BackboneSpec
{
    /// <summary>The recurrent unit, LSTM or GRU.</summary>
    public RecurrentCell Cell { get; init; } = RecurrentCell.Lstm;

    /// <summary>Hidden widths of the stacked recurrent layers, input side first (the decoder mirrors them).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [64];

    internal override Encoder CreateEncoder(IReadOnlyList<int> inputShape, int latentSize, Device device) =>
        new RecurrentEncoder(inputShape, Cell, Hidden, device);

    internal override Decoder CreateDecoder(int latentSize, IReadOnlyList<int> inputShape, Device device) =>
        new RecurrentDecoder(latentSize, inputShape, Cell, Hidden, device);

    internal override void Validate(IReadOnlyList<int> inputShape)
    {
        SequenceShape.Require(inputShape, "A recurrent backbone");
        BackboneChecks.PositiveSizes(Hidden, nameof(Hidden), "Recurrent layer", required: true);
        if (!Enum.IsDefined(Cell))
        {
            throw new ArgumentException($"Unknown recurrent cell {Cell}.");
        }
    }

    /// <inheritdoc />
    public bool Equals(RecurrentBackboneSpec? other) =>
        other is not null && Cell == other.Cell && Hidden.SequenceEqual(other.Hidden);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Cell, Hidden.Count);
}
