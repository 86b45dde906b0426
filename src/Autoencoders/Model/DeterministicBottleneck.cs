using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>A linear layer from the encoder's features to the code.</summary>
public sealed class DeterministicBottleneck : Bottleneck
{
    private readonly TorchSharp.Modules.Linear code;

    /// <summary>Creates the bottleneck.</summary>
    /// <param name="featureSize">The width of the encoder's features.</param>
    /// <param name="latentSize">The size of the code.</param>
    public DeterministicBottleneck(int featureSize, int latentSize)
        : base(nameof(DeterministicBottleneck))
    {
        code = nn.Linear(featureSize, latentSize);
        LatentSize = latentSize;
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int LatentSize { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor features) => code.forward(features);
}
