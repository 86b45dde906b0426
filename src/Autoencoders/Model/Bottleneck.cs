using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Turns the encoder's features into the code z. <c>forward</c> gives the deterministic code used
/// for encoding; <see cref="Sample"/> gives the code used in training together with any loss terms
/// the bottleneck contributes (a stochastic bottleneck samples and adds its divergence).
/// </summary>
public abstract class Bottleneck : nn.Module<Tensor, Tensor>
{
    /// <summary>Creates the module with the given name.</summary>
    protected Bottleneck(string name)
        : base(name)
    {
    }

    /// <summary>The size of the code.</summary>
    public abstract int LatentSize { get; }

    /// <summary>Whether the code is a random draw during training (a variational bottleneck).</summary>
    public virtual bool IsStochastic => false;

    /// <summary>
    /// The code to decode during training, adding the bottleneck's own loss terms to
    /// <paramref name="terms"/>. The default is the deterministic code and no terms.
    /// </summary>
    public virtual Tensor Sample(Tensor features, LossTerms terms, LossContext context) => forward(features);
}
