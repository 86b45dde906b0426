using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// The variational bottleneck: the encoder's features give the mean μ and log-variance log σ² of a
/// diagonal Gaussian posterior q(z|x); training decodes a reparameterised draw z = μ + σ·ε and adds
/// β·KL(q(z|x) ‖ N(0, I)) to the loss. Encoding returns μ, so it is deterministic.
/// </summary>
/// <remarks>
/// Both the reconstruction term and the KL are summed over dimensions and averaged over the batch, so
/// with β = 1 the loss is the negative ELBO per sample and β means what it means in the β-VAE paper.
/// The log-variance is clamped to [<see cref="MinLogVariance"/>, <see cref="MaxLogVariance"/>] so that
/// exp(log σ²) can neither overflow nor underflow in early training.
/// </remarks>
/// <example>
/// <code>
/// var vae = AutoencoderSpec.Dense(784, 20, [500]).WithGaussianBottleneck(beta: 1.0, warmupEpochs: 10);
/// </code>
/// </example>
public sealed record GaussianBottleneckSpec : BottleneckSpec
{
    /// <summary>The weight β of the KL term.</summary>
    public double Beta { get; init; } = 1.0;

    /// <summary>KL warm-up: β grows linearly from β/WarmupEpochs to β over this many epochs; 0 for none.</summary>
    public int WarmupEpochs { get; init; }

    /// <summary>The lower clamp of log σ².</summary>
    public double MinLogVariance { get; init; } = -10;

    /// <summary>The upper clamp of log σ².</summary>
    public double MaxLogVariance { get; init; } = 10;

    internal override Bottleneck Create(int featureSize, Device device) => new GaussianBottleneck(featureSize, this, device);

    internal override void Validate()
    {
        base.Validate();
        if (!double.IsFinite(Beta) || Beta < 0)
        {
            throw new ArgumentException($"β must be a finite non-negative number; it is {Beta}.");
        }

        if (WarmupEpochs < 0)
        {
            throw new ArgumentException($"WarmupEpochs must be zero or positive; it is {WarmupEpochs}.");
        }

        if (!(MinLogVariance < MaxLogVariance) || !double.IsFinite(MinLogVariance) || !double.IsFinite(MaxLogVariance))
        {
            throw new ArgumentException($"The log-variance clamp [{MinLogVariance}, {MaxLogVariance}] must be a finite, non-empty interval.");
        }
    }

    /// <summary>β in the zero-based <paramref name="epoch"/>, after warm-up.</summary>
    internal double BetaAt(int epoch) => WarmupEpochs == 0 ? Beta : Beta * Math.Min(1.0, (epoch + 1.0) / WarmupEpochs);
}
