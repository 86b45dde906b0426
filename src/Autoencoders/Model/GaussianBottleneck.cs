using Autoencoders.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// A diagonal Gaussian posterior q(z|x) = N(μ, diag σ²) with the reparameterisation trick and the
/// closed-form KL divergence to the standard normal prior.
/// </summary>
public sealed class GaussianBottleneck : Bottleneck
{
    /// <summary>The name of the KL term.</summary>
    public const string KlTerm = "kl";

    private readonly TorchSharp.Modules.Linear mean;
    private readonly TorchSharp.Modules.Linear logVariance;
    private readonly GaussianBottleneckSpec spec;

    /// <summary>Creates the bottleneck.</summary>
    /// <param name="featureSize">The width of the encoder's features.</param>
    /// <param name="spec">Latent size, β, warm-up and clamps.</param>
    /// <param name="device">The device to create the weights on; TorchSharp's default device when null.</param>
    public GaussianBottleneck(int featureSize, GaussianBottleneckSpec spec, Device? device = null)
        : base(nameof(GaussianBottleneck))
    {
        this.spec = spec;
        mean = nn.Linear(featureSize, spec.Latent, device: device);
        logVariance = nn.Linear(featureSize, spec.Latent, device: device);
        RegisterComponents();
    }

    /// <inheritdoc />
    public override int LatentSize => spec.Latent;

    /// <inheritdoc />
    public override bool IsStochastic => true;

    /// <summary>The posterior mean μ: the deterministic code.</summary>
    public override Tensor forward(Tensor features) => mean.forward(features);

    /// <summary>The posterior's mean and clamped log-variance.</summary>
    public (Tensor Mean, Tensor LogVariance) Posterior(Tensor features) =>
        (mean.forward(features), logVariance.forward(features).Clamp(spec.MinLogVariance, spec.MaxLogVariance));

    /// <inheritdoc />
    public override Tensor Sample(Tensor features, LossTerms terms, LossContext context)
    {
        var (mu, logVar) = Posterior(features);
        var epsilon = randn(mu.shape, dtype: mu.dtype, device: mu.device, generator: context.Generator);
        var z = mu.Add(epsilon * logVar.Mul(0.5).exp());
        terms.Add(KlTerm, KlDivergence(mu, logVar).mean().Mul(spec.BetaAt(context.Epoch)));
        return z;
    }

    /// <summary>KL(N(μ, diag exp(logVar)) ‖ N(0, I)) per sample, summed over dimensions: ½Σ(μ² + σ² − 1 − log σ²).</summary>
    public static Tensor KlDivergence(Tensor mu, Tensor logVar) =>
        mu.Square().Add(logVar.exp()).Sub(1L).sub(logVar).Mul(0.5).sum(1);
}
