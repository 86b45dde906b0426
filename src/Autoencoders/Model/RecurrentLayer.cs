using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// One single-direction LSTM or GRU layer as a plain tensor-to-tensor module: it reads a sequence
/// [length, batch, input] from zero initial states and returns its hidden state at every step,
/// [length, batch, hidden] (time first, as libtorch's and ONNX's recurrent operators lay it out).
/// </summary>
internal sealed class RecurrentLayer : nn.Module<Tensor, Tensor>
{
    private readonly LSTM? lstm;
    private readonly GRU? gru;

    public RecurrentLayer(RecurrentCell cell, int inputSize, int hiddenSize, Device? device = null)
        : base(nameof(RecurrentLayer))
    {
        Cell = cell;
        InputSize = inputSize;
        HiddenSize = hiddenSize;
        switch (cell)
        {
            case RecurrentCell.Lstm:
                lstm = nn.LSTM(inputSize, hiddenSize, device: device);
                register_module("lstm", lstm);
                break;
            case RecurrentCell.Gru:
                gru = nn.GRU(inputSize, hiddenSize, device: device);
                register_module("gru", gru);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(cell), cell, "Unknown recurrent cell.");
        }
    }

    /// <summary>Which unit the layer runs.</summary>
    public RecurrentCell Cell { get; }

    /// <summary>The width of each step of the input sequence.</summary>
    public int InputSize { get; }

    /// <summary>The width of the hidden state.</summary>
    public int HiddenSize { get; }

    /// <summary>The libtorch module that holds the weights, named "lstm" or "gru" in the state dictionary.</summary>
    public nn.Module Unit => (nn.Module?)lstm ?? gru!;

    public override Tensor forward(Tensor input)
    {
        if (lstm is not null)
        {
            var (sequence, _, _) = lstm.forward(input);
            return sequence;
        }

        var (output, _) = gru!.forward(input);
        return output;
    }
}
