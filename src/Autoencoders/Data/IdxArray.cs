namespace Autoencoders.Data;

/// <summary>
/// The contents of an IDX file: its dimensions, its element type, and its values converted to
/// <see cref="float"/> in row-major order.
/// </summary>
/// <remarks>
/// <para>Values of type <see cref="IdxElementType.Int32"/> beyond ±2²⁴ and values of type
/// <see cref="IdxElementType.Double"/> are rounded to the nearest float.</para>
/// <example>
/// <code>
/// IdxArray images = IdxReader.Read("train-images-idx3-ubyte.gz"); // Dimensions = [60000, 28, 28]
/// float firstPixel = images.Data[0];
/// </code>
/// </example>
/// </remarks>
public sealed class IdxArray
{
    /// <summary>Creates an array, checking that the dimensions are positive and match the data length.</summary>
    /// <param name="elementType">The element type the values have (or will be written as).</param>
    /// <param name="dimensions">One to eight positive dimensions, row-major.</param>
    /// <param name="data">The values; its length must equal the product of the dimensions. Not copied.</param>
    /// <exception cref="ArgumentException">The dimensions are invalid or do not match the data length.</exception>
    public IdxArray(IdxElementType elementType, int[] dimensions, float[] data)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        ArgumentNullException.ThrowIfNull(data);
        if (!Enum.IsDefined(elementType))
        {
            throw new ArgumentOutOfRangeException(nameof(elementType), elementType, "Unknown IDX element type.");
        }

        if (dimensions.Length is < 1 or > IdxReader.MaxDimensions || dimensions.Any(d => d < 1))
        {
            throw new ArgumentException(
                $"An IDX array needs 1 to {IdxReader.MaxDimensions} dimensions, each ≥ 1; got [{string.Join(", ", dimensions)}].",
                nameof(dimensions));
        }

        long? count = null;
        try
        {
            count = Shapes.Product(Array.ConvertAll(dimensions, d => (long)d));
        }
        catch (OverflowException)
        {
            // More values than a long counts: certainly not the data's length.
        }

        if (count != data.Length)
        {
            throw new ArgumentException(
                $"Dimensions [{string.Join(", ", dimensions)}] hold {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "more than 2^63"} values but the data has {data.Length}.", nameof(data));
        }

        ElementType = elementType;
        Dimensions = (int[])dimensions.Clone();
        Data = data;
    }

    /// <summary>The dimensions, row-major (e.g. [N, 28, 28] for images, [N] for labels).</summary>
    public int[] Dimensions { get; }

    /// <summary>The element type stored in the file.</summary>
    public IdxElementType ElementType { get; }

    /// <summary>The values converted to float, row-major; length = product of <see cref="Dimensions"/>.</summary>
    public float[] Data { get; }

    /// <summary>The number of values: the product of <see cref="Dimensions"/>.</summary>
    public int Length => Data.Length;
}
