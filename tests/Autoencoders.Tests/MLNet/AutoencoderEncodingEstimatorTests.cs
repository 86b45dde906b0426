using Autoencoders.Applications;
using Autoencoders.MLNet;
using Autoencoders.Tests.Export;
using Autoencoders.Tests.Support;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Autoencoders.Tests.MLNet;

/// <summary>The encoder transform: an ML.NET column of autoencoder codes, kept through save and load.</summary>
public sealed class AutoencoderEncodingEstimatorTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void TheCodeColumnHoldsTheReducersCodesAndSurvivesSaveAndLoad()
    {
        var options = new ReducerOptions { Components = 2, Training = DefaultArchitecture.Training with { Epochs = 3 }, Seed = 5 };
        var mlContext = new MLContext(seed: 1);
        var table = SensorRows.Table;
        var data = SensorRows.Load(mlContext, table);

        var model = mlContext.Transforms.ProjectToAutoencoderCode("Code", "Features", options).Fit(data);
        var codes = model.Transform(data).GetColumn<float[]>("Code").ToArray();
        var path = folder.File("encoder.zip");
        mlContext.Model.Save(model, data.Schema, path);
        var reloaded = mlContext.Model.Load(path, out _).Transform(data).GetColumn<float[]>("Code").ToArray();

        using var reducer = AutoencoderReducer.Fit(table.Values, options);
        var expected = reducer.Transform(table.Values);
        codes.Should().HaveCount(table.RowCount).And.OnlyContain(c => c.Length == 2);
        reloaded.SelectMany(c => c).Should().Equal(codes.SelectMany(c => c));
        var (_, relative) = Agreement.Of(codes.SelectMany(c => c).ToArray(), expected.Cast<float>().ToArray());
        relative.Should().BeLessThanOrEqualTo(1e-5);
        model.GetOutputSchema(data.Schema)["Code"].Type.Should().Be(new VectorDataViewType(NumberDataViewType.Single, 2));
    }

    [Fact]
    public void AColumnThatIsNotAKnownSizeVectorOfSingleIsRefused()
    {
        var mlContext = new MLContext();
        var data = SensorRows.Load(mlContext, SensorRows.Table);

        FluentActions.Invoking(() => mlContext.Transforms.ProjectToAutoencoderCode("Code", "Label").Fit(data))
            .Should().Throw<ArgumentException>().WithMessage("*'Label'*known-size vector of Single*");
        FluentActions.Invoking(() => mlContext.Transforms.ProjectToAutoencoderCode("Code", "Missing").Fit(data))
            .Should().Throw<ArgumentException>().WithMessage("*no column 'Missing'*Concatenate*");
    }
}
