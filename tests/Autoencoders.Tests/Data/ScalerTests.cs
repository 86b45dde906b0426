using Autoencoders.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Autoencoders.Tests.Data;

public class ScalerTests
{
    /// <summary>Seeded rows whose columns have different means and spreads; column 2 is constant.</summary>
    private static float[,] Rows(int n = 200, int f = 5)
    {
        var random = new Random(123);
        var rows = new float[n, f];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < f; j++)
            {
                rows[i, j] = j == 2 ? 4.25f : (float)((random.NextDouble() - 0.3) * (j + 1) * 3 + j * 2);
            }
        }

        return rows;
    }

    private static (double[] Mean, double[] Std, double[] Min, double[] Max) Reference(float[,] rows)
    {
        int n = rows.GetLength(0), f = rows.GetLength(1);
        var mean = new double[f];
        var std = new double[f];
        var min = Enumerable.Repeat(double.MaxValue, f).ToArray();
        var max = Enumerable.Repeat(double.MinValue, f).ToArray();
        for (int j = 0; j < f; j++)
        {
            for (int i = 0; i < n; i++)
            {
                mean[j] += rows[i, j] / (double)n;
                min[j] = Math.Min(min[j], rows[i, j]);
                max[j] = Math.Max(max[j], rows[i, j]);
            }

            for (int i = 0; i < n; i++)
            {
                std[j] += Math.Pow(rows[i, j] - mean[j], 2) / n;
            }

            std[j] = Math.Sqrt(std[j]);
        }

        return (mean, std, min, max);
    }

    [Fact]
    public void StandardScaler_MatchesADoublePrecisionReference()
    {
        var rows = Rows();
        var reference = Reference(rows);
        var scaler = StandardScaler.Fit(rows);

        scaler.Kind.Should().Be("standard");
        scaler.FeatureCount.Should().Be(5);
        for (int j = 0; j < 5; j++)
        {
            scaler.Offset[j].Should().BeApproximately((float)reference.Mean[j], 1e-5f);
            float expectedScale = j == 2 ? 1f : (float)reference.Std[j];
            scaler.Scale[j].Should().BeApproximately(expectedScale, 1e-5f);
        }

        reference.Std[2].Should().BeLessThan(1e-12, "column 2 is constant");
        var z = scaler.Transform(rows);
        for (int j = 0; j < 5; j++)
        {
            var column = Enumerable.Range(0, 200).Select(i => (double)z[i, j]).ToArray();
            column.Average().Should().BeApproximately(0, 1e-5);
            double sd = Math.Sqrt(column.Select(v => v * v).Average());
            sd.Should().BeApproximately(j == 2 ? 0 : 1, 1e-5);
        }
    }

    [Fact]
    public void MinMaxScaler_MapsEachColumnOntoZeroOne()
    {
        var rows = Rows();
        var reference = Reference(rows);
        var scaler = MinMaxScaler.Fit(rows);
        scaler.Kind.Should().Be("minmax");
        for (int j = 0; j < 5; j++)
        {
            scaler.Offset[j].Should().Be((float)reference.Min[j]);
            scaler.Scale[j].Should().BeApproximately(j == 2 ? 1f : (float)(reference.Max[j] - reference.Min[j]), 1e-5f);
        }

        var z = scaler.Transform(rows);
        for (int j = 0; j < 5; j++)
        {
            var column = Enumerable.Range(0, 200).Select(i => z[i, j]).ToArray();
            column.Min().Should().Be(0f);
            column.Max().Should().BeApproximately(j == 2 ? 0f : 1f, 1e-6f);
        }
    }

    [Fact]
    public void TransformThenInverse_IsTheIdentity_ForArraysTensorsAndDatasets()
    {
        var rows = Rows(50, 4);
        using var dataset = InMemoryDataset.FromArray(rows, sampleShape: [1, 2, 2]);
        foreach (Scaler scaler in new Scaler[] { StandardScaler.Fit(dataset), MinMaxScaler.Fit(dataset) })
        {
            var back = scaler.InverseTransform(scaler.Transform(rows));
            for (int i = 0; i < 50; i++)
            {
                for (int j = 0; j < 4; j++)
                {
                    back[i, j].Should().BeApproximately(rows[i, j], 1e-5f);
                }
            }

            using var scope = torch.NewDisposeScope();
            var z = scaler.Transform(dataset.Features);
            z.shape.Should().Equal(50L, 1L, 2L, 2L);
            z.reshape(50, 4).allclose(torch.tensor(scaler.Transform(rows)), rtol: 0, atol: 1e-6).Should().BeTrue("the tensor and array paths agree");
            scaler.InverseTransform(z).allclose(dataset.Features, rtol: 0, atol: 1e-5).Should().BeTrue();

            using var scaled = scaler.Transform(dataset);
            scaled.SampleShape.Should().Equal(1L, 2L, 2L);
            scaled.Features.allclose(z).Should().BeTrue();
            dataset.ToArray().Should().BeEquivalentTo(rows, "the source dataset is unchanged");
        }
    }

    [Fact]
    public void DatasetTransform_KeepsLabels()
    {
        using var features = torch.rand(6, 3);
        using var labels = torch.tensor(new long[] { 1, 2, 3, 4, 5, 6 });
        using var data = InMemoryDataset.FromTensor(features, labels);
        using var scaled = StandardScaler.Fit(data).Transform(data);
        scaled.Labels!.data<long>().ToArray().Should().Equal(1L, 2L, 3L, 4L, 5L, 6L);
        data.Labels!.IsInvalid.Should().BeFalse();
    }

    [Fact]
    public void ConstantFeatures_GetScaleOne_AndMapToZero()
    {
        var rows = new float[,] { { 3f, 1f }, { 3f, 2f }, { 3f, 3f } };
        foreach (Scaler scaler in new Scaler[] { StandardScaler.Fit(rows), MinMaxScaler.Fit(rows) })
        {
            scaler.Scale[0].Should().Be(1f);
            var z = scaler.Transform(rows);
            Enumerable.Range(0, 3).Select(i => z[i, 0]).Should().OnlyContain(v => v == 0f);
            scaler.InverseTransform(z)[1, 0].Should().Be(3f);
        }
    }

    [Fact]
    public void FeatureCountMismatch_NamesBothCounts()
    {
        var scaler = StandardScaler.Fit(new float[,] { { 1, 2, 3 }, { 4, 5, 6 } });
        FluentActions.Invoking(() => scaler.Transform(new float[2, 4])).Should().Throw<ArgumentException>()
            .WithMessage("*fitted on 3 features but the input has 4*");
        using var wrong = torch.zeros(2, 1, 2, 2);
        FluentActions.Invoking(() => scaler.InverseTransform(wrong)).Should().Throw<ArgumentException>()
            .WithMessage("*fitted on 3 features but the input has 4*");
        using var data = InMemoryDataset.FromArray(new float[2, 5]);
        FluentActions.Invoking(() => scaler.Transform(data)).Should().Throw<ArgumentException>()
            .WithMessage("*fitted on 3 features but the input has 5*");
    }

    [Fact]
    public void FromParameters_RebuildsAndValidates()
    {
        var scaler = Scaler.FromParameters("minmax", [1f, -2f], [2f, 0.5f]);
        scaler.Should().BeOfType<MinMaxScaler>();
        scaler.Transform(new float[,] { { 3f, -1f } }).Should().BeEquivalentTo(new float[,] { { 1f, 2f } });
        Scaler.FromParameters("standard", [0f], [1f]).Should().BeOfType<StandardScaler>();

        FluentActions.Invoking(() => Scaler.FromParameters("robust", [0f], [1f])).Should().Throw<ArgumentException>().WithMessage("*'robust'*");
        FluentActions.Invoking(() => Scaler.FromParameters("standard", [0f, 1f], [1f])).Should().Throw<ArgumentException>().WithMessage("*2 offset(s) and 1 scale(s)*");
        FluentActions.Invoking(() => Scaler.FromParameters("standard", [], [])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Scaler.FromParameters("standard", [float.NaN], [1f])).Should().Throw<ArgumentException>().WithMessage("*Offset of feature 0*");
        FluentActions.Invoking(() => Scaler.FromParameters("standard", [0f, 0f], [1f, 0f])).Should().Throw<ArgumentException>().WithMessage("*Scale of feature 1 is 0*");
        FluentActions.Invoking(() => Scaler.FromParameters("standard", [0f], [-1f])).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => Scaler.FromParameters("minmax", [0f], [float.PositiveInfinity])).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Fit_RefusesNonFiniteData()
    {
        var rows = new float[,] { { 1f, 2f }, { float.NaN, 3f } };
        FluentActions.Invoking(() => StandardScaler.Fit(rows)).Should().Throw<ArgumentException>().WithMessage("*row 1, feature 0 is NaN*");
    }
}
