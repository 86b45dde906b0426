using Autoencoders.Tests.Support;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Tests.Linear;

/// <summary>
/// Data whose sample covariance (n − 1 denominator) is exactly Q·diag(eigenvalues)·Qᵀ for a random
/// orthogonal Q: Gaussian rows are centred, whitened to identity sample covariance, scaled and rotated.
/// </summary>
internal sealed class KnownSpectrum
{
    private KnownSpectrum(Matrix<double> data, Matrix<double> axes, double[] eigenvalues)
    {
        Data = data;
        Axes = axes;
        Eigenvalues = eigenvalues;
    }

    /// <summary>The rows, n×d, with column means <c>offset</c>.</summary>
    public Matrix<double> Data { get; }

    /// <summary>The principal axes as columns, d×d, in the order of <see cref="Eigenvalues"/>.</summary>
    public Matrix<double> Axes { get; }

    public double[] Eigenvalues { get; }

    public float[,] Rows => Data.ToArray().ToSingle();

    /// <summary>The first <paramref name="k"/> principal axes as columns, d×k.</summary>
    public Matrix<double> TopAxes(int k) => Axes.SubMatrix(0, Axes.RowCount, 0, k);

    public static KnownSpectrum Create(int rows, double[] eigenvalues, int seed, double offset = 0)
    {
        var d = eigenvalues.Length;
        var random = new Random(seed);
        var z = Matrix<double>.Build.Dense(rows, d, (_, _) => Synthetic.Gaussian(random));
        z -= Matrix<double>.Build.Dense(rows, d, (_, j) => z.Column(j).Average());
        var covariance = z.TransposeThisAndMultiply(z) / (rows - 1);
        var evd = covariance.Evd(MathNet.Numerics.LinearAlgebra.Symmetricity.Symmetric);
        var inverseRoot = evd.EigenVectors * Matrix<double>.Build.DiagonalOfDiagonalArray(evd.EigenValues.Select(v => 1 / Math.Sqrt(v.Real)).ToArray()) * evd.EigenVectors.Transpose();
        var white = z * inverseRoot;
        var q = Matrix<double>.Build.Dense(d, d, (_, _) => Synthetic.Gaussian(random)).QR().Q;
        var data = white * Matrix<double>.Build.DiagonalOfDiagonalArray(eigenvalues.Select(Math.Sqrt).ToArray()) * q.Transpose();
        data += offset;
        return new KnownSpectrum(data, q, eigenvalues);
    }
}

internal static class ArrayExtensions
{
    public static float[,] ToSingle(this double[,] values)
    {
        var result = new float[values.GetLength(0), values.GetLength(1)];
        for (var i = 0; i < values.GetLength(0); i++)
        {
            for (var j = 0; j < values.GetLength(1); j++)
            {
                result[i, j] = (float)values[i, j];
            }
        }

        return result;
    }
}
