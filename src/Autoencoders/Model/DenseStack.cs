using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>The dense layers a convolutional encoder (2-D or 1-D) puts between its flattened feature map and the code.</summary>
internal static class DenseStack
{
    /// <summary>
    /// Linear → activation for each width, named <c>linear{i}</c> and <c>act{i}</c> (the names model files hold);
    /// null when <paramref name="widths"/> is empty, so that no module (and no draw from the seeded
    /// generator) is added. <paramref name="outputSize"/> is the last width, or <paramref name="inputSize"/>.
    /// </summary>
    public static Sequential? Create(int inputSize, IReadOnlyList<int> widths, Activation activation, Device? device, out int outputSize)
    {
        outputSize = inputSize;
        if (widths.Count == 0)
        {
            return null;
        }

        var dense = nn.Sequential();
        for (var i = 0; i < widths.Count; i++)
        {
            dense.append($"linear{i}", nn.Linear(outputSize, widths[i], device: device));
            dense.append($"act{i}", ActivationModules.Create(activation));
            outputSize = widths[i];
        }

        return dense;
    }
}
