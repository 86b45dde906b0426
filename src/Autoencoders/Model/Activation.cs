using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>The nonlinearity placed between the hidden layers of a backbone.</summary>
public enum Activation
{
    /// <summary>No nonlinearity: a linear map (use for the linear autoencoder that recovers PCA).</summary>
    Identity,
    /// <summary>Rectified linear unit, max(0, x).</summary>
    ReLU,
    /// <summary>Leaky ReLU with negative slope 0.01.</summary>
    LeakyReLU,
    /// <summary>Exponential linear unit.</summary>
    ELU,
    /// <summary>Gaussian error linear unit.</summary>
    GELU,
    /// <summary>Sigmoid-weighted linear unit (swish).</summary>
    SiLU,
    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
    /// <summary>Logistic sigmoid.</summary>
    Sigmoid,
}

internal static class ActivationModules
{
    public static nn.Module<Tensor, Tensor> Create(Activation activation) => activation switch
    {
        Activation.Identity => nn.Identity(),
        Activation.ReLU => nn.ReLU(),
        Activation.LeakyReLU => new LeakyReluActivation(0.01),
        Activation.ELU => new EluActivation(1.0),
        Activation.GELU => nn.GELU(),
        Activation.SiLU => nn.SiLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Sigmoid => nn.Sigmoid(),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
