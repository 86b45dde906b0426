using Autoencoders.Linear;
using MathNet.Numerics.LinearAlgebra;

namespace Autoencoders.Tests.Linear;

public sealed class PcaTests
{
    private static readonly double[] Spectrum = [9, 5, 3, 2, 0.3, 0.28, 0.26, 0.24, 0.22, 0.2, 0.18, 0.16, 0.14, 0.12, 0.1, 0.08, 0.06, 0.05, 0.04, 0.03];

    [Fact]
    public void Components_and_variances_agree_with_an_exact_eigendecomposition_of_the_covariance()
    {
        // n and d not multiples of the kernel's block sizes, so every tail path runs.
        var random = new Random(3);
        var data = Matrix<double>.Build.Dense(301, 23, (i, j) => (random.NextDouble() * (j + 1)) + (i % 7 * 0.1 * (j % 3)) + 5);
        var means = Vector<double>.Build.Dense(23, j => data.Column(j).Average());
        var centred = data - Matrix<double>.Build.Dense(301, 23, (_, j) => means[j]);
        var covariance = centred.TransposeThisAndMultiply(centred) / 300;
        var evd = covariance.Evd(Symmetricity.Symmetric);
        var order = Enumerable.Range(0, 23).OrderByDescending(i => evd.EigenValues[i].Real).ToArray();

        var pca = Pca.Fit(data);

        pca.ComponentCount.Should().Be(23);
        (pca.Mean - means).InfinityNorm().Should().BeLessThan(1e-12);
        for (var i = 0; i < 23; i++)
        {
            var expected = evd.EigenValues[order[i]].Real;
            pca.ExplainedVariance[i].Should().BeApproximately(expected, 1e-10 * evd.EigenValues.Real().Maximum());
            Math.Abs(pca.Components.Row(i).DotProduct(evd.EigenVectors.Column(order[i]))).Should().BeApproximately(1, 1e-8, $"component {i} is the eigenvector up to sign");
        }

        (pca.Components * pca.Components.Transpose() - Matrix<double>.Build.DenseIdentity(23)).InfinityNorm().Should().BeLessThan(1e-10);
        pca.TotalVariance.Should().BeApproximately(covariance.Trace(), 1e-10);
        pca.ExplainedVarianceRatio.Sum().Should().BeApproximately(1, 1e-12);
        for (var i = 0; i < 23; i++)
        {
            pca.SingularValues[i].Should().BeApproximately(Math.Sqrt(300 * pca.ExplainedVariance[i]), 1e-9);
        }
    }

    [Fact]
    public void A_known_spectrum_is_recovered_with_its_axes_and_a_positive_largest_entry()
    {
        var known = KnownSpectrum.Create(500, Spectrum, seed: 1, offset: 3);

        var pca = Pca.Fit(known.Data, components: 4);

        pca.ComponentCount.Should().Be(4);
        pca.ExplainedVariance.ToArray().Should().Equal(Spectrum.Take(4), (a, b) => Math.Abs(a - b) < 1e-9);
        pca.ExplainedVarianceRatio[0].Should().BeApproximately(9 / Spectrum.Sum(), 1e-12);
        pca.Mean.Should().OnlyContain(m => Math.Abs(m - 3) < 1e-9);
        for (var i = 0; i < 4; i++)
        {
            var component = pca.Components.Row(i);
            Math.Abs(component.DotProduct(known.Axes.Column(i))).Should().BeApproximately(1, 1e-9);
            component[component.AbsoluteMaximumIndex()].Should().BePositive("the sign convention makes the largest entry positive");
        }
    }

    [Fact]
    public void Float_double_and_matrix_inputs_give_the_same_fit()
    {
        var known = KnownSpectrum.Create(200, Spectrum, seed: 2);
        var rows = known.Rows;
        var doubles = new double[200, 20];
        for (var i = 0; i < 200; i++)
        {
            for (var j = 0; j < 20; j++)
            {
                doubles[i, j] = rows[i, j];
            }
        }

        var fromFloat = Pca.Fit(rows, components: 3);
        var fromDouble = Pca.Fit(doubles, components: 3);
        var fromMatrix = Pca.Fit(rows.ToMatrix(), components: 3, threads: 1);

        (fromFloat.Components - fromDouble.Components).InfinityNorm().Should().BeLessThan(1e-12);
        (fromFloat.Components - fromMatrix.Components).InfinityNorm().Should().BeLessThan(1e-12);
        (fromFloat.ExplainedVariance - fromMatrix.ExplainedVariance).InfinityNorm().Should().BeLessThan(1e-12);
    }

    [Fact]
    public void Transform_then_inverse_transform_is_the_identity_at_full_rank_and_the_projection_below_it()
    {
        var known = KnownSpectrum.Create(300, Spectrum, seed: 4, offset: -2);
        var full = Pca.Fit(known.Data);
        var four = Pca.Fit(known.Data, components: 4);

        (full.Reconstruct(known.Data) - known.Data).InfinityNorm().Should().BeLessThan(1e-9);
        full.MeanSquaredError(known.Data).Should().BeLessThan(1e-20);

        var codes = four.Transform(known.Data);
        codes.ColumnCount.Should().Be(4);
        for (var i = 0; i < 4; i++)
        {
            codes.Column(i).Average().Should().BeApproximately(0, 1e-9);
            (codes.Column(i).DotProduct(codes.Column(i)) / 299).Should().BeApproximately(Spectrum[i], 1e-9, "a code's variance is its eigenvalue");
        }

        // The squared error left is the variance of the dropped directions: Σ_{i>4} λᵢ·(n − 1) over all rows.
        var errors = four.ReconstructionErrors(known.Data);
        errors.Count.Should().Be(300);
        errors.Sum().Should().BeApproximately(Spectrum.Skip(4).Sum() * 299, 1e-8);
        four.MeanSquaredError(known.Data).Should().BeApproximately(Spectrum.Skip(4).Sum() * 299 / (300.0 * 20), 1e-10);
        four.MeanSquaredError(known.Rows).Should().BeApproximately(four.MeanSquaredError(known.Data), 1e-6);
    }

    [Fact]
    public void Truncating_a_full_fit_equals_fitting_fewer_components()
    {
        var known = KnownSpectrum.Create(300, Spectrum, seed: 6, offset: 1);
        var full = Pca.Fit(known.Data);

        var truncated = full.Truncate(3);
        var direct = Pca.Fit(known.Data, components: 3);

        (truncated.Components - direct.Components).InfinityNorm().Should().BeLessThan(1e-12);
        (truncated.ExplainedVarianceRatio - direct.ExplainedVarianceRatio).InfinityNorm().Should().BeLessThan(1e-12);
        truncated.MeanSquaredError(known.Data).Should().BeApproximately(direct.MeanSquaredError(known.Data), 1e-12);
        full.Invoking(p => p.Truncate(21)).Should().Throw<ArgumentOutOfRangeException>();
    }

    [Theory]
    [InlineData(0.5, 2)]   // cumulative ratios of the spectrum (total 21.46): 0.419, 0.652, 0.792, 0.885, 0.899, ...
    [InlineData(0.85, 4)]
    [InlineData(0.89, 5)]
    [InlineData(1.0, 20)]
    public void A_variance_fraction_keeps_the_fewest_components_that_reach_it(double fraction, int expected)
    {
        var known = KnownSpectrum.Create(200, Spectrum, seed: 5);

        var pca = Pca.Fit(known.Data, varianceFraction: fraction);

        pca.ComponentCount.Should().Be(expected);
        pca.ExplainedVarianceRatio.Sum().Should().BeGreaterThanOrEqualTo(fraction - 1e-9);
        (pca.ExplainedVarianceRatio.Sum() - pca.ExplainedVarianceRatio[^1]).Should().BeLessThan(fraction);
    }

    [Fact]
    public void Bad_arguments_fail_with_messages_that_say_what_is_wrong()
    {
        var data = new double[10, 3];
        FluentActions.Invoking(() => Pca.Fit(new double[1, 3])).Should().Throw<ArgumentException>().WithMessage("*at least two rows*");
        FluentActions.Invoking(() => Pca.Fit(new double[0, 3])).Should().Throw<ArgumentException>().WithMessage("*empty*");
        FluentActions.Invoking(() => Pca.Fit(data, components: 4)).Should().Throw<ArgumentOutOfRangeException>().WithMessage("*between 1 and*3*");
        FluentActions.Invoking(() => Pca.Fit(data, components: 2, varianceFraction: 0.9)).Should().Throw<ArgumentException>().WithMessage("*not both*");
        FluentActions.Invoking(() => Pca.Fit(data, varianceFraction: 1.5)).Should().Throw<ArgumentOutOfRangeException>();
        data[4, 1] = double.NaN;
        FluentActions.Invoking(() => Pca.Fit(data)).Should().Throw<ArgumentException>().WithMessage("*non-finite*row 4, column 1*");
        var pca = Pca.Fit(new double[,] { { 1, 2, 3 }, { 2, 2, 5 }, { 0, 1, 1 } }, components: 2);
        FluentActions.Invoking(() => pca.Transform(Matrix<double>.Build.Dense(2, 4))).Should().Throw<ArgumentException>().WithMessage("*3 values but got 4*");
        FluentActions.Invoking(() => pca.InverseTransform(Matrix<double>.Build.Dense(2, 3))).Should().Throw<ArgumentException>().WithMessage("*2 values but got 3*");
    }
}
