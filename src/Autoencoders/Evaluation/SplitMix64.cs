namespace Autoencoders.Evaluation;

/// <summary>
/// SplitMix64 (Steele, Lea &amp; Flood 2014): a tiny seeded generator whose output any language can
/// repeat bit for bit, so reference scripts can draw the same samples.
/// </summary>
internal sealed class SplitMix64(ulong state)
{
    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }

    /// <summary>A number below <paramref name="m"/>: ((x &gt;&gt; 32) · m) &gt;&gt; 32 for the next output x.</summary>
    public int Below(int m) => (int)(((Next() >> 32) * (ulong)m) >> 32);
}
