namespace Autoencoders.Benchmarks;

/// <summary>
/// B9's synthetic data: Fashion-MNIST training images, repeated and augmented so that no two rows are alike
/// by chance — a shift of up to two pixels each way, a mirror image half the time, a contrast factor in
/// [0.7, 1] — each row from its own generator seeded by the seed and the row's index, so the same seed
/// gives the same file.
/// </summary>
internal static class AugmentedFashion
{
    public const int Side = 28;

    /// <summary>Row r of the stream, for r = 0, 1, …, <paramref name="count"/> − 1; each row is a fresh array of 784 values in [0, 1].</summary>
    public static IEnumerable<float[]> Rows(float[,] images, long count, int seed)
    {
        var n = images.GetLength(0);
        for (long r = 0; r < count; r++)
        {
            var mixed = ((ulong)r * 0x9E3779B97F4A7C15UL) ^ (ulong)seed; // HashCode is seeded per process: not reproducible
            var random = new Random((int)(mixed ^ (mixed >> 32)));
            var source = (int)(r % n);
            int dx = random.Next(-2, 3), dy = random.Next(-2, 3);
            var mirror = random.Next(2) == 1;
            var contrast = 0.7f + (0.3f * random.NextSingle());
            var row = new float[Side * Side];
            for (var y = 0; y < Side; y++)
            {
                var sy = y - dy;
                if (sy is < 0 or >= Side)
                {
                    continue;
                }

                for (var x = 0; x < Side; x++)
                {
                    var sx = (mirror ? Side - 1 - x : x) - dx;
                    if (sx is >= 0 and < Side)
                    {
                        row[(y * Side) + x] = images[source, (sy * Side) + sx] * contrast;
                    }
                }
            }

            yield return row;
        }
    }
}
