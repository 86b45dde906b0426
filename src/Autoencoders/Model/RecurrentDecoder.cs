using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The repeat-vector decoder of the classic LSTM autoencoder: the code is fed to stacked LSTM or GRU
/// layers (the encoder's widths in reverse) at every one of the input's time steps, and a linear layer
/// shared by all steps maps each step's hidden state to the channels, giving [batch, channels, length].
/// </summary>
public sealed class RecurrentDecoder : Decoder
{
    private readonly Sequential layers;
    private readonly TorchSharp.Modules.Linear output;

    /// <summary>Creates the decoder.</summary>
    /// <param name="latentSize">The size of the code.</param>
    /// <param name="inputShape">[channels, length] of one sample, which the output reproduces.</param>
    /// <param name="cell">The recurrent unit.</param>
    /// <param name="hidden">The encoder's hidden widths, input side first (applied here in reverse).</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public RecurrentDecoder(int latentSize, IReadOnlyList<int> inputShape, RecurrentCell cell, IReadOnlyList<int> hidden, Device? device = null)
        : base(nameof(RecurrentDecoder))
    {
        Length = SequenceShape.Length(inputShape);
        Channels = SequenceShape.Channels(inputShape);
        layers = nn.Sequential();
        var width = latentSize;
        for (var i = hidden.Count - 1; i >= 0; i--)
        {
            layers.append($"recurrent{i}", new RecurrentLayer(cell, width, hidden[i], device));
            width = hidden[i];
        }

        StepWidth = width;
        output = nn.Linear(width, Channels, device: device);
        RegisterComponents();
    }

    /// <summary>The number of time steps the code is repeated over (the input's length).</summary>
    internal long Length { get; }

    /// <summary>The number of channels of the output.</summary>
    internal long Channels { get; }

    /// <summary>The width of the last recurrent layer's state, which the output layer reads at each step.</summary>
    internal long StepWidth { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var repeated = input.unsqueeze(0).expand(Length, -1, -1);
        return output.forward(layers.forward(repeated)).permute(1, 2, 0).contiguous();
    }
}
