using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// The one definition of a random validation split, shared by data in memory and streams so that both
/// split the same samples alike: a <c>randperm</c> of the count from a generator seeded with the seed,
/// whose first round(N × fraction) entries (at least 1, at most N − 1) are the validation samples.
/// </summary>
internal static class RandomSplit
{
    public static void ThrowIfInvalidFraction(double validationFraction)
    {
        if (!(validationFraction > 0 && validationFraction < 1))
        {
            throw new ArgumentOutOfRangeException(
                nameof(validationFraction), validationFraction,
                "The validation fraction must be strictly between 0 and 1 (e.g. 0.2 for 20 %).");
        }
    }

    /// <summary>The number of validation samples among <paramref name="count"/>.</summary>
    /// <exception cref="InvalidOperationException">Fewer than two samples.</exception>
    public static long ValidationCount(long count, double validationFraction)
    {
        if (count < 2)
        {
            throw new InvalidOperationException(
                $"Cannot split a dataset of {count} sample into two non-empty parts; at least 2 samples are needed.");
        }

        return (long)Math.Clamp(Math.Round(count * validationFraction), 1, count - 1);
    }

    /// <summary>The permutation (int64 [count], in the caller's dispose scope) whose head is the validation part.</summary>
    public static Tensor Permutation(long count, long seed)
    {
        using var generator = new TorchSharp.torch.Generator(unchecked((ulong)seed));
        return randperm(count, generator: generator);
    }
}
