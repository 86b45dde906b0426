namespace Gallery;

/// <summary>
/// Lays out 28×28 greyscale images (rows of 784 values in [0, 1]) as a grid of tiles, enlarged with
/// nearest-neighbour pixels and separated by a thin grey gutter, and writes it as a PNG.
/// </summary>
internal static class ImageGrid
{
    private const int Side = 28;
    private const int Gutter = 2;

    /// <summary>Writes one grid row per entry of <paramref name="rows"/>; each entry holds that row's images.</summary>
    public static void Write(string path, IReadOnlyList<float[,]> rows, int scale = 3)
    {
        var columns = rows.Max(r => r.GetLength(0));
        var tile = Side * scale;
        var pixels = new byte[(rows.Count * (tile + Gutter)) + Gutter, (columns * (tile + Gutter)) + Gutter];
        for (var y = 0; y < pixels.GetLength(0); y++)
        {
            for (var x = 0; x < pixels.GetLength(1); x++)
            {
                pixels[y, x] = 128;
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < rows[r].GetLength(0); c++)
            {
                int top = Gutter + (r * (tile + Gutter)), left = Gutter + (c * (tile + Gutter));
                for (var y = 0; y < tile; y++)
                {
                    for (var x = 0; x < tile; x++)
                    {
                        var value = rows[r][c, ((y / scale) * Side) + (x / scale)];
                        pixels[top + y, left + x] = (byte)Math.Round(255 * Math.Clamp(value, 0f, 1f));
                    }
                }
            }
        }

        PngWriter.WriteGrey(path, pixels);
    }

    /// <summary>Writes <paramref name="images"/> as a grid <paramref name="columns"/> wide.</summary>
    public static void WriteTiled(string path, float[,] images, int columns, int scale = 3)
    {
        var rows = new List<float[,]>();
        for (var start = 0; start < images.GetLength(0); start += columns)
        {
            rows.Add(Rows(images, start, Math.Min(columns, images.GetLength(0) - start)));
        }

        Write(path, rows, scale);
    }

    /// <summary>Rows <paramref name="start"/> … start + count − 1 of a matrix.</summary>
    public static float[,] Rows(float[,] values, int start, int count)
    {
        var width = values.GetLength(1);
        var result = new float[count, width];
        Buffer.BlockCopy(values, start * width * sizeof(float), result, 0, count * width * sizeof(float));
        return result;
    }

    /// <summary>The rows of a matrix at the given indices.</summary>
    public static float[,] Pick(float[,] values, IReadOnlyList<int> indices)
    {
        var width = values.GetLength(1);
        var result = new float[indices.Count, width];
        for (var i = 0; i < indices.Count; i++)
        {
            Buffer.BlockCopy(values, indices[i] * width * sizeof(float), result, i * width * sizeof(float), width * sizeof(float));
        }

        return result;
    }

    /// <summary>Scales each row to [0, 1] by its own maximum (for error maps).</summary>
    public static float[,] Normalised(float[,] values)
    {
        var result = (float[,])values.Clone();
        for (var i = 0; i < result.GetLength(0); i++)
        {
            var max = 0f;
            for (var j = 0; j < result.GetLength(1); j++)
            {
                max = Math.Max(max, result[i, j]);
            }

            for (var j = 0; j < result.GetLength(1) && max > 0; j++)
            {
                result[i, j] /= max;
            }
        }

        return result;
    }
}
