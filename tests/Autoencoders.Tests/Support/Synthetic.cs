namespace Autoencoders.Tests.Support;

/// <summary>Small deterministic data sets with known structure.</summary>
internal static class Synthetic
{
    /// <summary>
    /// Rows on a <paramref name="rank"/>-dimensional linear subspace of R^features plus isotropic noise,
    /// with the given offset and scale applied to every feature. The subspace is drawn from
    /// <paramref name="basisSeed"/> (default: <paramref name="seed"/>), the points from <paramref name="seed"/>,
    /// so fresh samples of one distribution share a basis seed and differ in seed.
    /// </summary>
    public static float[,] LowRank(int rows, int features, int rank, int seed, double noise = 0.05, double offset = 0, double scale = 1, int? basisSeed = null)
    {
        var basisRandom = new Random(basisSeed ?? seed);
        var basis = new double[rank, features];
        for (var r = 0; r < rank; r++)
        {
            for (var f = 0; f < features; f++)
            {
                basis[r, f] = Gaussian(basisRandom) / Math.Sqrt(rank);
            }
        }

        var random = basisSeed is null ? basisRandom : new Random(seed);

        var data = new float[rows, features];
        for (var i = 0; i < rows; i++)
        {
            var latent = new double[rank];
            for (var r = 0; r < rank; r++)
            {
                latent[r] = Gaussian(random);
            }

            for (var f = 0; f < features; f++)
            {
                double value = 0;
                for (var r = 0; r < rank; r++)
                {
                    value += latent[r] * basis[r, f];
                }

                data[i, f] = (float)(offset + (scale * (value + (noise * Gaussian(random)))));
            }
        }

        return data;
    }

    public static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    public static float[,] Rows(float[,] data, int start, int count)
    {
        var width = data.GetLength(1);
        var result = new float[count, width];
        Buffer.BlockCopy(data, start * width * sizeof(float), result, 0, count * width * sizeof(float));
        return result;
    }

    /// <summary>
    /// Windows of noisy sinusoids, one flattened [channels, length] sample per row (channel-major): channel c
    /// of every window is a·sin(2π·t/period_c + φ) + noise, with the amplitude a and phase φ drawn per window
    /// and shared by its channels, so the windows lie near a two-parameter family.
    /// </summary>
    public static float[,] SineWindows(int rows, int channels, int length, int seed, double noise = 0.05)
    {
        var random = new Random(seed);
        var data = new float[rows, channels * length];
        for (var i = 0; i < rows; i++)
        {
            var amplitude = 0.5 + random.NextDouble();
            var phase = 2 * Math.PI * random.NextDouble();
            for (var c = 0; c < channels; c++)
            {
                var period = 8.0 + (4 * c);
                for (var t = 0; t < length; t++)
                {
                    data[i, (c * length) + t] = (float)((amplitude * Math.Sin((2 * Math.PI * t / period) + phase)) + (noise * Gaussian(random)));
                }
            }
        }

        return data;
    }
}
