using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Linear;

/// <summary>Conversions between the library's row arrays and MathNet matrices (one sample per row).</summary>
/// <example>
/// <code>
/// Matrix&lt;double&gt; x = fashion.Test.ToArray().ToMatrix();
/// </code>
/// </example>
public static class MatrixConversions
{
    /// <summary>A dense double matrix with the same rows as <paramref name="rows"/>.</summary>
    public static Matrix<double> ToMatrix(this float[,] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var (n, d) = (rows.GetLength(0), rows.GetLength(1));
        var values = new double[n * d];
        for (var r = 0; r < n; r++)
        {
            for (var f = 0; f < d; f++)
            {
                values[(f * n) + r] = rows[r, f];
            }
        }

        return Matrix<double>.Build.Dense(n, d, values);
    }

    /// <summary>A dense double matrix with the same rows as <paramref name="rows"/>.</summary>
    public static Matrix<double> ToMatrix(this double[,] rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return Matrix<double>.Build.DenseOfArray(rows);
    }

    /// <summary>
    /// The rows of <paramref name="matrix"/> as float32, the type the autoencoder's array methods and the
    /// evaluation metrics take (e.g. PCA codes scored next to an autoencoder's).
    /// </summary>
    public static float[,] ToFloatArray(this Matrix<double> matrix)
    {
        ArgumentNullException.ThrowIfNull(matrix);
        var rows = new float[matrix.RowCount, matrix.ColumnCount];
        for (var r = 0; r < matrix.RowCount; r++)
        {
            for (var f = 0; f < matrix.ColumnCount; f++)
            {
                rows[r, f] = (float)matrix[r, f];
            }
        }

        return rows;
    }
}
