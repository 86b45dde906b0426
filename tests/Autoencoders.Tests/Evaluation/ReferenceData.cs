using Autoencoders.Evaluation;

namespace Autoencoders.Tests.Evaluation;

/// <summary>
/// The fixed data of the scikit-learn comparison, built by the same formula as
/// <c>reference/embedding_quality_reference.py</c>: SplitMix64 doubles (53 bits each) in IEEE arithmetic, in the same
/// order, rounded to float32 at the end, so both sides hold bit-identical arrays.
/// </summary>
internal static class ReferenceData
{
    public const int Count = 300;
    private const int Features = 20;
    private const int Classes = 3;
    private const ulong Seed = 20260101;

    /// <summary>Three overlapping clusters in 20-D, spread most along the first two axes, and a noisy 2-D map of them.</summary>
    public static (float[,] Input, float[,] Embedding, long[] Labels) Build()
    {
        var random = new SplitMix64(Seed);
        double Uniform() => (random.Next() >> 11) * Math.ScaleB(1.0, -53);
        var centres = Draw(Classes, Features, () => (2.0 * Uniform()) - 1.0);
        var projection = Draw(2, Features, () => (2.0 * Uniform()) - 1.0);
        var input = new float[Count, Features];
        var embedding = new float[Count, 2];
        var labels = new long[Count];
        for (var i = 0; i < Count; i++)
        {
            var c = i % Classes;
            labels[i] = c;
            var row = new double[Features];
            for (var f = 0; f < Features; f++)
            {
                row[f] = centres[c][f] + ((f < 2 ? 8.0 : 3.0) * (Uniform() - 0.5));
            }

            for (var e = 0; e < 2; e++)
            {
                var s = 0.0;
                for (var f = 0; f < Features; f++)
                {
                    s += projection[e][f] * row[f];
                }

                embedding[i, e] = (float)(row[e] + (0.2 * s) + (0.5 * (Uniform() - 0.5)));
            }

            for (var f = 0; f < Features; f++)
            {
                input[i, f] = (float)row[f];
            }
        }

        return (input, embedding, labels);
    }

    /// <summary>The first <paramref name="count"/> rows (or labels) from <paramref name="start"/>.</summary>
    public static float[,] Rows(float[,] data, int start, int count)
    {
        var result = new float[count, data.GetLength(1)];
        for (var i = 0; i < count; i++)
        {
            for (var f = 0; f < data.GetLength(1); f++)
            {
                result[i, f] = data[start + i, f];
            }
        }

        return result;
    }

    private static double[][] Draw(int rows, int columns, Func<double> next) =>
        [.. Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, columns).Select(_ => next()).ToArray())];
}
