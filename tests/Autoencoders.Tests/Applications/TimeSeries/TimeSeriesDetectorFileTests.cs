using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Persistence;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Applications.TimeSeries;

public sealed class TimeSeriesDetectorFileTests : IDisposable
{
    private readonly TempFolder folder = new();

    public void Dispose() => folder.Dispose();

    [Fact]
    public void A_saved_ensemble_detector_loads_and_scores_bit_for_bit_as_the_saved_one()
    {
        var options = TimeSeriesDetectorOptions.Default with
        {
            WindowLength = 12,
            EnsembleSize = 2,
            Threshold = Threshold.FalsePositiveRate(0.05),
            TimeFeatures = TimeFeatures.TimeOfDay,
            Postprocessing = new SeriesPostprocessing { ShortWindow = 5, HistoryLength = 300, SuppressionSteps = 10 },
            MissingValues = MissingValues.ForwardFill,
            ChannelNames = SensorSeries.Names,
            Training = SensorDetectorFixture.FastTraining with { Epochs = 5 },
            Seed = 11,
        };
        using var original = TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(300, seed: 1), SensorSeries.Hours(300), options);
        var path = folder.File("machine.aemodel");
        original.Save(path);

        using var loaded = TimeSeriesAnomalyDetector.Load(path);
        var series = SensorSeries.WithSpike(SensorSeries.Normal(120, seed: 2, first: 300), step: 80, channel: 0, amplitudes: 3);
        series[50, 1] = float.NaN;
        var hours = SensorSeries.Hours(120, first: 300);
        var before = original.Detect(series, hours).Steps;
        var after = loaded.Detect(series, hours).Steps;

        after.Select(s => s.Score).Should().Equal(before.Select(s => s.Score), (a, b) => a.Equals(b));
        after.Select(s => s.Likelihood).Should().Equal(before.Select(s => s.Likelihood));
        after.Select(s => s.PValue).Should().Equal(before.Select(s => s.PValue), (a, b) => a.Equals(b));
        after.Select(s => s.IsAnomaly).Should().Equal(before.Select(s => s.IsAnomaly));
        loaded.Models.Should().HaveCount(2);
        loaded.Models[0].Should().NotBeSameAs(loaded.Models[1]);
        loaded.CalibrationScores.Should().Equal(original.CalibrationScores);
        loaded.DecisionThreshold.Should().Be(original.DecisionThreshold);
        loaded.ThresholdRule.Should().Be(original.ThresholdRule);
        loaded.ChannelNames.Should().Equal(SensorSeries.Names);
        loaded.Options.Should().BeEquivalentTo(options, o => o.Excluding(x => x.Training).Excluding(x => x.Spec));
        loaded.Options.Threshold.Should().Be(Threshold.FalsePositiveRate(0.05), "the rule is stored with its threshold");
        ModelFileInfo.Read(path).Application!.Kind.Should().Be("time-series-detector");
    }

    [Fact]
    public void Other_files_are_refused_with_what_they_hold()
    {
        var plain = folder.File("plain.aemodel");
        using (var model = AutoencoderSpec.Dense([1, 8], 2, [4]).Build())
        {
            model.Save(plain);
        }

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Load(plain)).Should().Throw<ModelFileException>().WithMessage("*holds a model but not a time-series detector*");
        FluentActions.Invoking(() => AnomalyDetector.Load(plain)).Should().Throw<ModelFileException>();
    }
}
