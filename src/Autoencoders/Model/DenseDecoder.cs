using Autoencoders.Data;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A multilayer perceptron decoder: Linear → activation for each hidden width, then a linear layer to
/// the flattened input size, reshaped to the input shape.
/// </summary>
public sealed class DenseDecoder : Decoder
{
    private readonly Sequential layers;
    private readonly long[] outputShape;

    /// <summary>Creates the decoder.</summary>
    /// <param name="latentSize">The size of the code it reads.</param>
    /// <param name="hidden">Hidden layer widths, code side first; empty for a single linear layer.</param>
    /// <param name="activation">The nonlinearity after each hidden layer.</param>
    /// <param name="inputShape">The shape of one input sample, which the output reproduces.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public DenseDecoder(int latentSize, IReadOnlyList<int> hidden, Activation activation, IReadOnlyList<int> inputShape, Device? device = null)
        : base(nameof(DenseDecoder))
    {
        layers = nn.Sequential();
        var width = latentSize;
        for (var i = 0; i < hidden.Count; i++)
        {
            layers.append($"linear{i}", nn.Linear(width, hidden[i], device: device));
            layers.append($"act{i}", ActivationModules.Create(activation));
            width = hidden[i];
        }

        layers.append("output", nn.Linear(width, Shapes.Product(inputShape), device: device));
        outputShape = inputShape.Select(d => (long)d).ToArray();
        RegisterComponents();
    }

    /// <inheritdoc />
    public override Tensor forward(Tensor input)
    {
        var flat = layers.forward(input);
        return flat.view([flat.shape[0], .. outputShape]);
    }
}
