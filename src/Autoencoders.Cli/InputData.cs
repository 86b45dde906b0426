using Autoencoders.Data;

namespace Autoencoders.Cli;

/// <summary>Samples read from a CSV or IDX file: one row per sample, the shape of one sample, feature names.</summary>
/// <param name="Path">The file they came from.</param>
/// <param name="Rows">The values, [samples, features].</param>
/// <param name="SampleShape">The shape of one sample: [features] for tables, [channels, height, width] for images.</param>
/// <param name="FeatureNames">One name per feature (a CSV header, or generated).</param>
/// <param name="Description">How the file was read, for the log.</param>
internal sealed record InputData(string Path, float[,] Rows, int[] SampleShape, IReadOnlyList<string> FeatureNames, string Description)
{
    /// <summary>The number of samples.</summary>
    public int Count => Rows.GetLength(0);

    /// <summary>The number of values per sample.</summary>
    public int FeatureCount => Rows.GetLength(1);

    /// <summary>Whether every value lies in [0, 1].</summary>
    public bool IsUnitInterval => Rows.Cast<float>().All(v => v is >= 0 and <= 1);

    /// <summary>
    /// Reads a file: <c>.csv</c> (or any text) as a numeric CSV with an optional header; IDX files
    /// (raw or gzip, recognised by content) as arrays whose first dimension counts the samples.
    /// Unsigned-byte IDX data (images) is divided by 255.
    /// </summary>
    public static InputData Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"The data file '{path}' does not exist.");
        }

        return IsIdx(path) ? ReadIdx(path) : ReadCsv(path);
    }

    /// <summary>The rows as a dataset whose samples have <paramref name="shape"/>.</summary>
    public InMemoryDataset ToDataset(IReadOnlyList<int> shape) =>
        InMemoryDataset.FromArray(Rows, shape.Select(d => (long)d).ToArray());

    private static bool IsIdx(string path)
    {
        Span<byte> head = stackalloc byte[3];
        using var stream = File.OpenRead(path);
        var read = stream.ReadAtLeast(head, 3, throwOnEndOfStream: false);
        return read >= 2 && ((head[0] == 0x1F && head[1] == 0x8B) || (read == 3 && head[0] == 0 && head[1] == 0 && head[2] is >= 0x08 and <= 0x0E));
    }

    private static InputData ReadCsv(string path)
    {
        var table = CsvReader.Read(path);
        return new InputData(path, table.Values, [table.ColumnCount], table.ColumnNames,
            $"CSV, {table.RowCount} rows × {table.ColumnCount} columns ({string.Join(", ", table.ColumnNames.Take(6))}{(table.ColumnCount > 6 ? ", …" : string.Empty)})");
    }

    private static InputData ReadIdx(string path)
    {
        var idx = IdxReader.Read(path);
        var dims = idx.Dimensions;
        int[] sampleShape = dims.Length switch
        {
            1 => throw new UsageException($"The IDX file '{path}' is one-dimensional ({dims[0]} values): it looks like labels, not samples. Pass the images or a [samples, features] array."),
            2 => [dims[1]],
            3 => [1, dims[1], dims[2]],
            4 => [dims[1], dims[2], dims[3]],
            _ => throw new UsageException($"The IDX file '{path}' has {dims.Length} dimensions; 2 (samples × features), 3 (samples × height × width) or 4 (samples × channels × height × width) are supported."),
        };
        var count = dims[0];
        var features = idx.Data.Length / count; // the reader checked that the dimensions' product is the data's length
        var scale = idx.ElementType == IdxElementType.UnsignedByte ? 1f / 255f : 1f;
        var rows = new float[count, features];
        for (var i = 0; i < count; i++)
        {
            for (var j = 0; j < features; j++)
            {
                rows[i, j] = idx.Data[(i * features) + j] * scale;
            }
        }

        var names = Enumerable.Range(0, features).Select(j => sampleShape.Length == 3 ? PixelName(j, sampleShape) : $"x{j + 1}").ToArray();
        return new InputData(path, rows, sampleShape, names,
            $"IDX {idx.ElementType}, {count} samples of shape [{string.Join(", ", sampleShape)}]{(scale != 1 ? ", bytes divided by 255" : string.Empty)}");
    }

    private static string PixelName(int index, int[] shape)
    {
        int plane = shape[1] * shape[2], c = index / plane, y = index % plane / shape[2], x = index % shape[2];
        return shape[0] == 1 ? $"pixel ({y}, {x})" : $"channel {c} pixel ({y}, {x})";
    }
}
