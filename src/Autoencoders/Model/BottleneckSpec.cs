using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// How the encoder's features become the code z. One axis of the variant grid: deterministic here;
/// or stochastic (Gaussian, reparameterised: the variational autoencoder).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(DeterministicBottleneckSpec), "deterministic")]
[JsonDerivedType(typeof(GaussianBottleneckSpec), "gaussian")]
public abstract record BottleneckSpec
{
    /// <summary>The size of the code z.</summary>
    public int Latent { get; init; }

    /// <summary>The bottleneck, its tensors created on <paramref name="device"/>.</summary>
    internal abstract Bottleneck Create(int featureSize, Device device);

    internal virtual void Validate()
    {
        if (Latent <= 0)
        {
            throw new ArgumentException($"The latent size must be positive; it is {Latent}.");
        }
    }
}
