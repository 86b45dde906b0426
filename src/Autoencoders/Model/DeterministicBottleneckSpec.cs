namespace Autoencoders.Model;

/// <summary>A linear map from the encoder's features to the code: the classic autoencoder bottleneck.</summary>
public sealed record DeterministicBottleneckSpec : BottleneckSpec
{
    internal override Bottleneck Create(int featureSize) => new DeterministicBottleneck(featureSize, Latent);
}
