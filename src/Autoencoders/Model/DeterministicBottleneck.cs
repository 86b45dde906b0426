using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>A linear layer from the encoder's features to the code.</summary>
public sealed class DeterministicBottleneck : Bottleneck
{
    private readonly TorchSharp.Modules.Linear code;
    private readonly nn.Module<Tensor, Tensor> activation;

    /// <summary>Creates the bottleneck.</summary>
    /// <param name="featureSize">The width of the encoder's features.</param>
    /// <param name="latentSize">The size of the code.</param>
    /// <param name="codeActivation">The nonlinearity applied to the code.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public DeterministicBottleneck(int featureSize, int latentSize, Activation codeActivation = Activation.Identity, Device? device = null)
        : base(nameof(DeterministicBottleneck))
    {
        code = nn.Linear(featureSize, latentSize, device: device);
        activation = ActivationModules.Create(codeActivation);
        LatentSize = latentSize;
        CodeActivation = codeActivation;
        RegisterComponents();
    }

    /// <summary>The nonlinearity applied to the code.</summary>
    public Activation CodeActivation { get; }

    /// <summary>The code layer's weight matrix [latent, features].</summary>
    internal Tensor Weight => code.weight!;

    /// <inheritdoc />
    public override int LatentSize { get; }

    /// <inheritdoc />
    public override Tensor forward(Tensor features) => activation.forward(code.forward(features));
}
