using static TorchSharp.torch;

namespace Autoencoders.Data;

/// <summary>
/// The one place that checks inputs before a model or a dataset accepts them: finite values, and shapes
/// that fit. Every message says where the problem is and what to do about it.
/// </summary>
internal static class InputValidator
{
    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming the first non-finite value of a float tensor
    /// [rows, ...] by row and feature (and its index inside a multi-dimensional sample), and how many there are.
    /// </summary>
    public static void ThrowIfNotFinite(Tensor values, string parameterName)
    {
        using var scope = NewDisposeScope();
        var isFinite = values.isfinite();
        if (isFinite.all().item<bool>())
        {
            return;
        }

        var featureCount = Shapes.Product(values.shape.AsSpan(1));
        var bad = isFinite.logical_not().reshape(-1);
        var badCount = bad.sum().item<long>();
        var first = bad.to_type(ScalarType.Int32).argmax().item<long>(); // argmax returns the first maximum
        var value = values.reshape(-1)[first].item<float>();
        long row = first / featureCount, feature = first % featureCount;
        var where = $"row {row}, feature {feature}";
        if (values.dim() > 2)
        {
            var index = new long[values.dim() - 1];
            var rest = feature;
            for (var d = index.Length - 1; d >= 0; d--)
            {
                var size = values.shape[d + 1];
                index[d] = rest % size;
                rest /= size;
            }

            where += $" (sample index [{string.Join(", ", index)}])";
        }

        var what = float.IsNaN(value) ? "NaN" : value > 0 ? "+Infinity" : "-Infinity";
        throw new ArgumentException(
            $"The data must be finite, but {where} is {what} ({badCount} non-finite value(s) in total). " +
            "Clean the data (drop or impute missing values) and scale it (e.g. with StandardScaler or MinMaxScaler) " +
            "so that every value is a finite float32.",
            parameterName);
    }

    /// <summary>Throws unless samples shaped <paramref name="sampleShape"/> can feed a model taking <paramref name="inputShape"/> (see <see cref="Shapes.Fits"/>).</summary>
    /// <param name="sampleShape">The shape of one sample of the data.</param>
    /// <param name="inputShape">The shape of one sample the model takes.</param>
    /// <param name="parameterName">The argument that holds the data, named in the message.</param>
    public static void ThrowIfShapeDoesNotFit(IReadOnlyList<long> sampleShape, IReadOnlyList<int> inputShape, string parameterName)
    {
        if (!Shapes.Fits(sampleShape, inputShape))
        {
            throw new ArgumentException(
                $"The {(parameterName == "data" ? "data" : parameterName + " data")} has samples shaped {Shapes.Format(sampleShape)} ({Shapes.Product(sampleShape.ToArray())} features) " +
                $"but the model takes {Shapes.Format(inputShape)} ({Shapes.Product(inputShape)} features).",
                parameterName);
        }
    }

    /// <summary>Throws unless <paramref name="batch"/> is shaped [batch, ...<paramref name="inputShape"/>].</summary>
    public static void ThrowIfNotBatchOf(Tensor batch, IReadOnlyList<int> inputShape, string parameterName)
    {
        if (batch.dim() != inputShape.Count + 1 || !batch.shape.Skip(1).Select(d => (int)d).SequenceEqual(inputShape))
        {
            throw new ArgumentException(
                $"Expected a batch shaped [batch, {string.Join(", ", inputShape)}] but got {Shapes.Format(batch.shape)}.", parameterName);
        }
    }

    /// <summary>Throws unless every row of <paramref name="rows"/> has <paramref name="width"/> values.</summary>
    public static void ThrowIfNotWidth(float[,] rows, int width, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(rows, parameterName);
        if (rows.GetLength(1) != width)
        {
            throw new ArgumentException($"Expected rows of {width} values but got {rows.GetLength(1)}.", parameterName);
        }
    }
}
