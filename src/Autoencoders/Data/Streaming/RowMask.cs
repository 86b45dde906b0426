using System.Numerics;

namespace Autoencoders.Data.Streaming;

/// <summary>One bit per sample of a root source: the samples a view keeps.</summary>
internal sealed class RowMask
{
    private readonly ulong[] words;

    public RowMask(long length)
    {
        Length = length;
        words = new ulong[(length + 63) / 64];
    }

    /// <summary>The number of samples the mask covers.</summary>
    public long Length { get; }

    public bool this[long row]
    {
        get => (words[row >> 6] & (1UL << (int)(row & 63))) != 0;
        set
        {
            if (value)
            {
                words[row >> 6] |= 1UL << (int)(row & 63);
            }
            else
            {
                words[row >> 6] &= ~(1UL << (int)(row & 63));
            }
        }
    }

    /// <summary>The number of samples kept.</summary>
    public long Count() => words.Sum(w => (long)BitOperations.PopCount(w));

    /// <summary>The rows kept, in order.</summary>
    public IEnumerable<long> Rows()
    {
        for (var w = 0; w < words.Length; w++)
        {
            var word = words[w];
            while (word != 0)
            {
                yield return (64L * w) + BitOperations.TrailingZeroCount(word);
                word &= word - 1;
            }
        }
    }
}
