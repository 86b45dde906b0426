using Autoencoders.Linear;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Tests.Linear;

public sealed class PrincipalAnglesTests
{
    private static Matrix<double> Columns(params double[][] columns) => Matrix<double>.Build.DenseOfColumnArrays(columns);

    [Fact]
    public void A_plane_rotated_by_30_degrees_about_one_of_its_axes_is_at_angles_0_and_30_degrees()
    {
        var t = Math.PI / 6;
        var xy = Columns([1, 0, 0], [0, 1, 0]);
        var tilted = Columns([1, 0, 0], [0, Math.Cos(t), Math.Sin(t)]);

        var angles = PrincipalAngles.Between(xy, tilted);

        angles.Should().HaveCount(2);
        angles[0].Should().BeApproximately(0, 1e-12);
        angles[1].Should().BeApproximately(t, 1e-12);
        PrincipalAngles.Largest(xy, tilted).Should().BeApproximately(t, 1e-12);
        PrincipalAngles.Distance(xy, tilted).Should().BeApproximately(0.5, 1e-12);
    }

    [Fact]
    public void Angles_do_not_depend_on_the_basis_chosen_for_either_subspace()
    {
        var random = new Random(7);
        var a = Matrix<double>.Build.Dense(12, 3, (_, _) => random.NextDouble() - 0.5);
        var b = Matrix<double>.Build.Dense(12, 4, (_, _) => random.NextDouble() - 0.5);
        var mixA = Matrix<double>.Build.Dense(3, 3, (i, j) => (i == j ? 2 : 0) + random.NextDouble());
        var mixB = Matrix<double>.Build.Dense(4, 4, (i, j) => (i == j ? 3 : 0) - random.NextDouble());

        var angles = PrincipalAngles.Between(a, b);
        var again = PrincipalAngles.Between(a * mixA * 1e3, b * mixB * 1e-3);
        var swapped = PrincipalAngles.Between(b, a);
        var rows = PrincipalAngles.BetweenRows(a.Transpose(), b.Transpose());

        angles.Should().HaveCount(3).And.BeInAscendingOrder();
        angles.Should().OnlyContain(x => x > 0.01 && x <= Math.PI / 2);
        again.Should().Equal(angles, (x, y) => Math.Abs(x - y) < 1e-10);
        swapped.Should().Equal(angles, (x, y) => Math.Abs(x - y) < 1e-12);
        rows.Should().Equal(angles, (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void The_distance_equals_the_spectral_norm_of_the_projector_difference()
    {
        var random = new Random(8);
        var a = Matrix<double>.Build.Dense(10, 3, (_, _) => random.NextDouble() - 0.5);
        var b = a + Matrix<double>.Build.Dense(10, 3, (_, _) => 0.3 * (random.NextDouble() - 0.5));
        static Matrix<double> Projector(Matrix<double> m)
        {
            var q = m.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin).Q;
            return q * q.Transpose();
        }

        var expected = (Projector(a) - Projector(b)).L2Norm();

        PrincipalAngles.Distance(a, b).Should().BeApproximately(expected, 1e-12);
        expected.Should().BeInRange(0.01, 0.99);
    }

    [Fact]
    public void Tiny_angles_stay_accurate_and_orthogonal_subspaces_are_at_90_degrees()
    {
        var t = 1e-9;
        var tiny = PrincipalAngles.Between(Columns([1, 0, 0, 0]), Columns([Math.Cos(t), Math.Sin(t), 0, 0]));
        var right = PrincipalAngles.Between(Columns([1, 0, 0, 0], [0, 1, 0, 0]), Columns([0, 0, 1, 0], [0, 0, 0, 1]));

        tiny.Single().Should().BeApproximately(t, 1e-15, "the arccosine alone would return 0 or ~1.5e-8 here");
        right.Should().Equal([Math.PI / 2, Math.PI / 2], (x, y) => Math.Abs(x - y) < 1e-12);
    }

    [Fact]
    public void Dependent_or_mismatched_bases_are_refused()
    {
        var a = Columns([1, 0, 0], [2, 0, 0]);
        var b = Columns([1, 0, 0], [0, 1, 0]);
        FluentActions.Invoking(() => PrincipalAngles.Between(a, b)).Should().Throw<ArgumentException>().WithMessage("*linearly dependent*");
        FluentActions.Invoking(() => PrincipalAngles.Between(b, Columns([1, 0]))).Should().Throw<ArgumentException>().WithMessage("*same space*");
    }
}
