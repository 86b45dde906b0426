using Autoencoders.Applications;
using Autoencoders.Model;
using Autoencoders.Tests.Support;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>The series detector on the sequence backbones: windows shaped [channels, length] go to a 1-D convolution or a
/// recurrent network as they are, and every guarantee the dense default gives holds for them too (the GRU stands for the
/// recurrent cells: the model tests cover LSTM and GRU alike).</summary>
public sealed class TimeSeriesBackboneTests : IDisposable
{
    private const int Window = 16;
    private readonly TempFolder folder = new();

    public static TheoryData<string> Backbones() => new() { "convolutional1d", "recurrent-gru" };

    public void Dispose() => folder.Dispose();

    [Theory]
    [MemberData(nameof(Backbones))]
    public void A_sequence_backbone_flags_a_spike_streams_the_batch_scores_and_loads_bit_for_bit(string backbone)
    {
        var options = SensorDetectorFixture.Options with
        {
            Spec = Spec(backbone),
            Training = SensorDetectorFixture.FastTraining with { Epochs = 12 },
        };
        using var detector = TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(600, seed: 1), options: options);
        var series = SensorSeries.WithSpike(SensorSeries.Normal(160, seed: 2, first: 600), step: 120, channel: 1, amplitudes: 3);

        var batch = detector.Detect(series).Steps;
        batch[120].Score.Should().BeGreaterThan(detector.DecisionThreshold, "a spike of three daily amplitudes is far outside the clean errors");
        detector.Explain(batch[120]).Top(1)[0].Name.Should().Be("pressure");

        using var stream = detector.OpenStream();
        var online = Enumerable.Range(0, 160).Select(t => stream.Push([series[t, 0], series[t, 1], series[t, 2]])).ToArray();
        online.Select(s => s.Score).Should().Equal(batch.Select(s => s.Score), (a, b) => a.Equals(b), "bit for bit");

        var path = folder.File($"{backbone}.aemodel");
        detector.Save(path);
        using var loaded = TimeSeriesAnomalyDetector.Load(path);
        loaded.Model.Spec.Backbone.Should().BeOfType(detector.Model.Spec.Backbone.GetType());
        loaded.Detect(series).Steps.Select(s => s.Score).Should().Equal(batch.Select(s => s.Score), (a, b) => a.Equals(b));
    }

    private static AutoencoderSpec Spec(string backbone) => backbone switch
    {
        "convolutional1d" => AutoencoderSpec.Convolutional1d([3, Window], 4, [8, 16], kernel: 3),
        "recurrent-gru" => AutoencoderSpec.Recurrent([3, Window], 4, [16], RecurrentCell.Gru),
        _ => throw new ArgumentOutOfRangeException(nameof(backbone), backbone, null),
    };
}
