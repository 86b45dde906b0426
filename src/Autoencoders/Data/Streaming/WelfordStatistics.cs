using System.Numerics;

namespace Autoencoders.Data.Streaming;

/// <summary>
/// Accumulates per-feature count, mean, variance, minimum and maximum one sample at a time, in float64
/// (Welford's update: mean += δ / n; M2 += δ · (x − mean)). Each feature's update is a fixed sequence of
/// IEEE operations in the source's sample order, so the result does not depend on chunk sizes, threads or
/// the width of the machine's vectors.
/// </summary>
internal sealed class WelfordStatistics(int featureCount)
{
    private readonly double[] mean = new double[featureCount];
    private readonly double[] m2 = new double[featureCount];
    private readonly double[] minimum = Enumerable.Repeat(double.PositiveInfinity, featureCount).ToArray();
    private readonly double[] maximum = Enumerable.Repeat(double.NegativeInfinity, featureCount).ToArray();
    private readonly double[] sample = new double[featureCount];
    private long count;

    /// <summary>Adds <paramref name="rows"/> consecutive samples stored row-major from <paramref name="values"/>[0].</summary>
    public void Add(float[] values, int rows)
    {
        var width = Vector<double>.Count;
        for (var r = 0; r < rows; r++)
        {
            count++;
            var n = new Vector<double>(count);
            var row = values.AsSpan(r * featureCount, featureCount);
            for (var j = 0; j < featureCount; j++)
            {
                sample[j] = row[j];
            }

            var j0 = 0;
            for (; j0 <= featureCount - width; j0 += width)
            {
                var x = new Vector<double>(sample, j0);
                var oldMean = new Vector<double>(mean, j0);
                var delta = x - oldMean;
                var newMean = oldMean + (delta / n);
                newMean.CopyTo(mean, j0);
                (new Vector<double>(m2, j0) + (delta * (x - newMean))).CopyTo(m2, j0);
                Vector.Min(new Vector<double>(minimum, j0), x).CopyTo(minimum, j0);
                Vector.Max(new Vector<double>(maximum, j0), x).CopyTo(maximum, j0);
            }

            for (var j = j0; j < featureCount; j++)
            {
                var x = sample[j];
                var delta = x - mean[j];
                mean[j] += delta / count;
                m2[j] += delta * (x - mean[j]);
                minimum[j] = Math.Min(minimum[j], x);
                maximum[j] = Math.Max(maximum[j], x);
            }
        }
    }

    /// <summary>The statistics of everything added; the variance is the population variance M2 / n.</summary>
    public DataStatistics Result(string sourceName)
    {
        if (count == 0)
        {
            throw new DataSourceException($"The {sourceName} holds no samples; a source needs at least one.", sourceName);
        }

        var variance = m2.Select(v => v / count).ToArray();
        return new DataStatistics(count, (double[])mean.Clone(), variance, (double[])minimum.Clone(), (double[])maximum.Clone());
    }
}
