using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Linear;

/// <summary>Conversions from the library's row arrays to MathNet matrices (one sample per row).</summary>
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
}
