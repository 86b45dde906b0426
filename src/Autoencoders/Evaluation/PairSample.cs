namespace Autoencoders.Evaluation;

/// <summary>
/// Pairs of distinct points for the distance correlation: every pair (i &lt; j, i major) when there are
/// at most <c>count</c>, otherwise <c>count</c> pairs drawn with replacement.
/// </summary>
/// <remarks>
/// The draw is spelled out so that other tools can repeat it: <see cref="SplitMix64"/> seeded with the
/// seed's 64 bits; each pair takes i below n, then j below n − 1, and adds one to j when j ≥ i.
/// </remarks>
internal static class PairSample
{
    public static (int[] First, int[] Second) Draw(int n, int count, long seed)
    {
        var all = (long)n * (n - 1) / 2;
        if (all <= count)
        {
            var (first, second) = (new int[all], new int[all]);
            var p = 0;
            for (var i = 0; i < n; i++)
            {
                for (var j = i + 1; j < n; j++, p++)
                {
                    (first[p], second[p]) = (i, j);
                }
            }

            return (first, second);
        }

        var random = new SplitMix64(unchecked((ulong)seed));
        var (a, b) = (new int[count], new int[count]);
        for (var p = 0; p < count; p++)
        {
            a[p] = random.Below(n);
            var j = random.Below(n - 1);
            b[p] = j >= a[p] ? j + 1 : j;
        }

        return (a, b);
    }
}
