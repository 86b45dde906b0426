using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>Masking noise: each input value is set to zero with probability <see cref="Probability"/>.</summary>
/// <example><code>var spec = AutoencoderSpec.Dense(784, 32, [256]).WithCorruption(new MaskingNoise { Probability = 0.3 });</code></example>
public sealed record MaskingNoise : CorruptionSpec
{
    /// <summary>The probability that a value is dropped.</summary>
    public double Probability { get; init; } = 0.25;

    internal override Tensor Apply(Tensor input, Generator? generator)
    {
        var keep = rand(input.shape, dtype: input.dtype, device: input.device, generator: generator).Ge(Probability);
        return input * keep.to_type(input.dtype);
    }

    internal override void Validate()
    {
        if (!(Probability > 0 && Probability < 1))
        {
            throw new ArgumentException($"The masking probability must be in (0, 1); it is {Probability}.");
        }
    }
}
