using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Stacked LSTM or GRU layers read a batch of sequences [batch, channels, length] step by step; the
/// features are the top layer's hidden state after the last step, [batch, hidden].
/// </summary>
public sealed class RecurrentEncoder : Encoder
{
    private readonly Sequential layers;
    private readonly int outputSize;

    /// <summary>Creates the encoder.</summary>
    /// <param name="inputShape">[channels, length] of one sample.</param>
    /// <param name="cell">The recurrent unit.</param>
    /// <param name="hidden">Hidden widths of the stacked layers, input side first.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public RecurrentEncoder(IReadOnlyList<int> inputShape, RecurrentCell cell, IReadOnlyList<int> hidden, Device? device = null)
        : base(nameof(RecurrentEncoder))
    {
        layers = nn.Sequential();
        var width = SequenceShape.Channels(inputShape);
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.append($"recurrent{i}", new RecurrentLayer(cell, width, hidden[i], device));
            width = hidden[i];
        }

        outputSize = width;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => outputSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input.permute(2, 0, 1)).select(0, -1);
}
