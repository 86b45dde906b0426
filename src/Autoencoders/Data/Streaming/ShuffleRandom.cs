namespace Autoencoders.Data.Streaming;

/// <summary>
/// The random numbers of a stream's shuffle buffer: xoshiro256** seeded through SplitMix64, with Lemire's
/// unbiased bounded integers. Written out here rather than taken from <see cref="Random"/> so that the same
/// seed gives the same shuffle on every .NET version.
/// </summary>
internal struct ShuffleRandom
{
    private ulong s0;
    private ulong s1;
    private ulong s2;
    private ulong s3;

    public ShuffleRandom(ulong seed)
    {
        s0 = SplitMix(ref seed);
        s1 = SplitMix(ref seed);
        s2 = SplitMix(ref seed);
        s3 = SplitMix(ref seed);
    }

    /// <summary>A uniformly distributed integer in [0, <paramref name="bound"/>), bound ≥ 1.</summary>
    public int Next(int bound)
    {
        var x = (uint)(NextUInt64() >> 32);
        var m = (ulong)x * (uint)bound;
        var low = (uint)m;
        if (low < (uint)bound)
        {
            var threshold = (uint)-bound % (uint)bound;
            while (low < threshold)
            {
                x = (uint)(NextUInt64() >> 32);
                m = (ulong)x * (uint)bound;
                low = (uint)m;
            }
        }

        return (int)(m >> 32);
    }

    private ulong NextUInt64()
    {
        var result = ulong.RotateLeft(s1 * 5, 7) * 9;
        var t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = ulong.RotateLeft(s3, 45);
        return result;
    }

    private static ulong SplitMix(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
