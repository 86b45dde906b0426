using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Storage;

namespace Autoencoders.Linear;

/// <summary>The row sources for the input types <see cref="Pca"/> accepts, with their validation.</summary>
internal static class RowSources
{
    public static IRowSource From(Matrix<double> data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return Checked(
            data.Storage is DenseColumnMajorMatrixStorage<double> dense ? new ColumnMajorSource(dense.Data, data.RowCount, data.ColumnCount) : new ColumnMajorSource(data.ToColumnMajorArray(), data.RowCount, data.ColumnCount),
            name);
    }

    public static IRowSource From(double[,] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return Checked(new RowMajorSource(data), name);
    }

    public static IRowSource From(float[,] data, string name)
    {
        ArgumentNullException.ThrowIfNull(data, name);
        return Checked(new SingleRowMajorSource(data), name);
    }

    private static IRowSource Checked(IRowSource source, string name)
    {
        if (source.Rows == 0 || source.Columns == 0)
        {
            throw new ArgumentException($"The data is empty ({source.Rows}×{source.Columns}); PCA needs at least two rows and one column.", name);
        }

        var buffer = new double[source.Columns * 64];
        for (var start = 0; start < source.Rows; start += 64)
        {
            var length = Math.Min(64, source.Rows - start);
            source.CopyBlock(start, length, buffer, 64);
            for (var f = 0; f < source.Columns; f++)
            {
                for (var r = 0; r < length; r++)
                {
                    if (!double.IsFinite(buffer[(f * 64) + r]))
                    {
                        throw new ArgumentException($"The data holds a non-finite value ({buffer[(f * 64) + r]}) at row {start + r}, column {f}.", name);
                    }
                }
            }
        }

        return source;
    }

    private sealed class ColumnMajorSource(double[] values, int rows, int columns) : IRowSource
    {
        public int Rows => rows;

        public int Columns => columns;

        public void CopyBlock(int start, int length, double[] buffer, int stride)
        {
            for (var f = 0; f < columns; f++)
            {
                values.AsSpan((f * rows) + start, length).CopyTo(buffer.AsSpan(f * stride, length));
            }
        }
    }

    private sealed class RowMajorSource(double[,] values) : IRowSource
    {
        public int Rows => values.GetLength(0);

        public int Columns => values.GetLength(1);

        public void CopyBlock(int start, int length, double[] buffer, int stride)
        {
            var columns = Columns;
            for (var r = 0; r < length; r++)
            {
                for (var f = 0; f < columns; f++)
                {
                    buffer[(f * stride) + r] = values[start + r, f];
                }
            }
        }
    }

    private sealed class SingleRowMajorSource(float[,] values) : IRowSource
    {
        public int Rows => values.GetLength(0);

        public int Columns => values.GetLength(1);

        public void CopyBlock(int start, int length, double[] buffer, int stride)
        {
            var columns = Columns;
            for (var r = 0; r < length; r++)
            {
                for (var f = 0; f < columns; f++)
                {
                    buffer[(f * stride) + r] = values[start + r, f];
                }
            }
        }
    }
}
