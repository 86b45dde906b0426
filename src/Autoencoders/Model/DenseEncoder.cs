using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>A multilayer perceptron encoder: flatten, then Linear → activation for each hidden width.</summary>
public sealed class DenseEncoder : Encoder
{
    private readonly Sequential layers;
    private readonly int outputSize;

    /// <summary>Creates the encoder.</summary>
    /// <param name="inputSize">The flattened input size.</param>
    /// <param name="hidden">Hidden layer widths, input side first; empty for none.</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public DenseEncoder(int inputSize, IReadOnlyList<int> hidden, Activation activation, Device? device = null)
        : base(nameof(DenseEncoder))
    {
        layers = nn.Sequential();
        var width = inputSize;
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.append($"linear{i}", nn.Linear(width, hidden[i], device: device));
            layers.append($"act{i}", ActivationModules.Create(activation));
            width = hidden[i];
        }

        outputSize = width;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int OutputSize => outputSize;

    /// <inheritdoc />
    public override Tensor forward(Tensor input) => layers.forward(input.flatten(1));
}
