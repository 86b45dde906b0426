using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.LinearAlgebra.Factorization;

namespace Autoencoders.Linear;

/// <summary>
/// Principal angles between two subspaces of Rᵈ, each given by a basis that need not be orthonormal:
/// the basis-independent way to say how far apart two subspaces are (for instance a linear
/// autoencoder's decoder columns and the top principal components).
/// </summary>
/// <remarks>
/// Both bases are orthonormalised by a thin QR decomposition (Qa, Qb); the cosines of the angles are the
/// singular values of QaᵀQb, clamped to [0, 1]. Angles whose cosine is above 1/√2 are taken instead from the
/// singular values of Qb − Qa·QaᵀQb (their sines), because the arccosine of a number near 1 loses half the
/// digits: this keeps angles of 1e-8 rad accurate (Björck &amp; Golub 1973; Knyazev &amp; Argentati 2002).
/// </remarks>
/// <example>
/// <code>
/// double[] angles = PrincipalAngles.Between(decoderWeights, pca.Components.Transpose()); // radians, ascending
/// double worstDegrees = PrincipalAngles.Largest(decoderWeights, pca.Components.Transpose()) * 180 / Math.PI;
/// </code>
/// </example>
public static class PrincipalAngles
{
    /// <summary>
    /// The min(p, q) principal angles, in radians and ascending, between the column spaces of
    /// <paramref name="a"/> (d×p) and <paramref name="b"/> (d×q).
    /// </summary>
    /// <exception cref="ArgumentException">The bases have different numbers of rows, no columns, or linearly dependent columns.</exception>
    public static double[] Between(Matrix<double> a, Matrix<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        if (a.RowCount != b.RowCount)
        {
            throw new ArgumentException($"Both bases must live in the same space: a has {a.RowCount} rows (coordinates), b has {b.RowCount}.", nameof(b));
        }

        // Put the smaller basis second so that the residual below has one column per angle.
        var qa = Orthonormal(a.ColumnCount >= b.ColumnCount ? a : b, a.ColumnCount >= b.ColumnCount ? nameof(a) : nameof(b));
        var qb = Orthonormal(a.ColumnCount >= b.ColumnCount ? b : a, a.ColumnCount >= b.ColumnCount ? nameof(b) : nameof(a));
        var cross = qa.TransposeThisAndMultiply(qb);
        var cosines = cross.Svd(computeVectors: false).S.Select(s => Math.Clamp(s, 0, 1)).OrderByDescending(c => c).ToArray();
        var sines = (qb - (qa * cross)).Svd(computeVectors: false).S.Select(s => Math.Clamp(s, 0, 1)).OrderBy(s => s).ToArray();

        var angles = new double[cosines.Length];
        for (var i = 0; i < angles.Length; i++)
        {
            angles[i] = cosines[i] * cosines[i] >= 0.5 ? Math.Asin(sines[i]) : Math.Acos(cosines[i]);
        }

        Array.Sort(angles);
        return angles;
    }

    /// <summary>The principal angles between the row spaces of <paramref name="a"/> (p×d) and <paramref name="b"/> (q×d), e.g. two sets of PCA components.</summary>
    /// <inheritdoc cref="Between(Matrix{double}, Matrix{double})"/>
    public static double[] BetweenRows(Matrix<double> a, Matrix<double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        return Between(a.Transpose(), b.Transpose());
    }

    /// <summary>The largest principal angle between the column spaces, in radians: 0 when one contains the other.</summary>
    public static double Largest(Matrix<double> a, Matrix<double> b) => Between(a, b)[^1];

    /// <summary>
    /// The subspace distance sin θ_max = ‖sin θ‖∞, in [0, 1]. For subspaces of equal dimension it equals the
    /// spectral norm of the difference of the orthogonal projectors, ‖P_a − P_b‖₂; it is 0 only for equal
    /// subspaces (or, with unequal dimensions, when the smaller lies in the larger).
    /// </summary>
    public static double Distance(Matrix<double> a, Matrix<double> b) => Math.Sin(Largest(a, b));

    private static Matrix<double> Orthonormal(Matrix<double> basis, string name)
    {
        if (basis.ColumnCount == 0)
        {
            throw new ArgumentException("The basis has no columns.", name);
        }

        if (basis.ColumnCount > basis.RowCount)
        {
            throw new ArgumentException($"{basis.ColumnCount} vectors in R^{basis.RowCount} cannot be linearly independent.", name);
        }

        if (!basis.Enumerate().All(double.IsFinite))
        {
            throw new ArgumentException("The basis holds a non-finite value.", name);
        }

        var qr = basis.QR(QRMethod.Thin);
        var scale = basis.ColumnNorms(2).Maximum();
        for (var i = 0; i < basis.ColumnCount; i++)
        {
            if (!(Math.Abs(qr.R[i, i]) > 1e-12 * scale))
            {
                throw new ArgumentException($"The basis vectors are linearly dependent (column {i} lies in the span of the others), so they span fewer than {basis.ColumnCount} dimensions.", name);
            }
        }

        return qr.Q;
    }
}
