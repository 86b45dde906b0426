using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>Additive Gaussian noise: x + σ·ε, ε ~ N(0, I).</summary>
/// <example><code>var spec = AutoencoderSpec.Dense(784, 32, [256]).WithCorruption(new GaussianNoise { StdDev = 0.3 });</code></example>
public sealed record GaussianNoise : CorruptionSpec
{
    /// <summary>The noise's standard deviation σ, in the (scaled) input's units.</summary>
    public double StdDev { get; init; } = 0.1;

    internal override Tensor Apply(Tensor input, Generator? generator) =>
        input.Add(randn(input.shape, dtype: input.dtype, device: input.device, generator: generator).Mul(StdDev));

    internal override void Validate()
    {
        if (!double.IsFinite(StdDev) || StdDev <= 0)
        {
            throw new ArgumentException($"The Gaussian noise's standard deviation must be positive; it is {StdDev}.");
        }
    }
}
