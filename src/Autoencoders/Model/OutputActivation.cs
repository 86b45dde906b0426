using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// How the decoder's last layer is mapped to the reconstruction. Pick <see cref="Sigmoid"/> for data
/// scaled to [0, 1] (images, min-max scaled tables) and <see cref="Identity"/> for standardised data.
/// </summary>
public enum OutputActivation
{
    /// <summary>The reconstruction is the decoder's linear output.</summary>
    Identity,
    /// <summary>The reconstruction is the logistic sigmoid of the decoder's output, in (0, 1).</summary>
    Sigmoid,
}

internal static class OutputActivations
{
    /// <summary>The reconstruction from the decoder's raw output.</summary>
    public static Tensor Apply(this OutputActivation activation, Tensor output) => activation switch
    {
        OutputActivation.Sigmoid => sigmoid(output),
        _ => output,
    };
}
