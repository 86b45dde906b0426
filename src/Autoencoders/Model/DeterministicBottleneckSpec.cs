using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>A linear map from the encoder's features to the code: the classic autoencoder bottleneck.</summary>
/// <remarks>
/// <see cref="CodeActivation"/> bounds the code: a sigmoid code in (0, 1) is what the KL sparsity
/// penalty and the classic contractive autoencoder assume; ReLU gives non-negative, sparse-able codes.
/// </remarks>
public sealed record DeterministicBottleneckSpec : BottleneckSpec
{
    /// <summary>The nonlinearity applied to the code; identity for a linear code.</summary>
    public Activation CodeActivation { get; init; } = Activation.Identity;

    internal override Bottleneck Create(int featureSize, Device device) => new DeterministicBottleneck(featureSize, Latent, CodeActivation, device);

    internal override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(CodeActivation))
        {
            throw new ArgumentException($"Unknown code activation {CodeActivation}.");
        }
    }
}
