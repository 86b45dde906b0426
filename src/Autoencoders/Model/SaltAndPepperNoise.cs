using Autoencoders.Native;
using static TorchSharp.torch;

namespace Autoencoders.Model;

/// <summary>
/// Salt-and-pepper noise: each value is replaced, with probability <see cref="Probability"/>, by
/// <see cref="Low"/> or <see cref="High"/> with equal chance.
/// </summary>
/// <example><code>var spec = AutoencoderSpec.Dense(784, 32, [256]).WithCorruption(new SaltAndPepperNoise { Probability = 0.1 });</code></example>
public sealed record SaltAndPepperNoise : CorruptionSpec
{
    /// <summary>The probability that a value is replaced.</summary>
    public double Probability { get; init; } = 0.1;

    /// <summary>The "pepper" value (0 for images in [0, 1]).</summary>
    public double Low { get; init; }

    /// <summary>The "salt" value (1 for images in [0, 1]).</summary>
    public double High { get; init; } = 1;

    internal override Tensor Apply(Tensor input, Generator? generator)
    {
        var u = rand(input.shape, dtype: input.dtype, device: input.device, generator: generator);
        var pepper = u.Lt(Probability / 2);
        var salt = u.Ge(Probability / 2).logical_and(u.Lt(Probability));
        return input.MaskedFill(pepper, Low).MaskedFill(salt, High);
    }

    internal override void Validate()
    {
        if (!(Probability > 0 && Probability < 1))
        {
            throw new ArgumentException($"The salt-and-pepper probability must be in (0, 1); it is {Probability}.");
        }

        if (!double.IsFinite(Low) || !double.IsFinite(High) || Low >= High)
        {
            throw new ArgumentException($"Salt-and-pepper needs finite Low < High; they are {Low} and {High}.");
        }
    }
}
