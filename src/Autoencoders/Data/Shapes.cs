namespace Autoencoders.Data;

/// <summary>The one owner of shape arithmetic: products, fits and formatting of sample and batch shapes.</summary>
internal static class Shapes
{
    /// <summary>The number of values in a sample of this shape; throws <see cref="OverflowException"/> beyond <see cref="int.MaxValue"/>.</summary>
    public static int Product(IReadOnlyList<int> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            product = checked(product * d);
        }

        return checked((int)product);
    }

    /// <summary>The number of values in a tensor of this shape; throws <see cref="OverflowException"/> beyond <see cref="long.MaxValue"/>.</summary>
    public static long Product(ReadOnlySpan<long> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            product = checked(product * d);
        }

        return product;
    }

    /// <summary>[batch, ...shape].</summary>
    public static long[] WithBatch(long batch, IReadOnlyList<int> shape)
    {
        var result = new long[shape.Count + 1];
        result[0] = batch;
        for (var i = 0; i < shape.Count; i++)
        {
            result[i + 1] = shape[i];
        }

        return result;
    }

    /// <summary>
    /// Whether samples shaped <paramref name="sample"/> can feed a model taking <paramref name="input"/>:
    /// the same number of features, and, when both are images or other multi-dimensional samples, the
    /// same shape (flat rows may feed an image model and images a dense one; a 2×8 image may not feed a 4×4 model).
    /// </summary>
    public static bool Fits(IReadOnlyList<long> sample, IReadOnlyList<int> input) =>
        Product(sample.ToArray()) == Product(input) &&
        (sample.Count == 1 || input.Count == 1 || sample.SequenceEqual(input.Select(d => (long)d)));

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    public static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";
}
