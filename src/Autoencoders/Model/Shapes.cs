namespace Autoencoders.Model;

internal static class Shapes
{
    public static int Product(IReadOnlyList<int> shape)
    {
        long product = 1;
        foreach (var d in shape)
        {
            product *= d;
        }

        return checked((int)product);
    }

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

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";

    public static string Format(IEnumerable<int> shape) => "[" + string.Join(", ", shape) + "]";
}
