using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>One detector of the three sensors, fitted once for the tests that only read it.</summary>
public sealed class SensorDetectorFixture : IDisposable
{
    public const int TrainingSteps = 720;

    public static readonly TrainerOptions FastTraining = new() { Epochs = 30, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.1, Patience = 5 };

    public static readonly TimeSeriesDetectorOptions Options = TimeSeriesDetectorOptions.Default with
    {
        WindowLength = 16,
        ChannelNames = SensorSeries.Names,
        Training = FastTraining,
        Postprocessing = new SeriesPostprocessing { ShortWindow = 4, HistoryLength = 400, SuppressionSteps = 24 },
        Seed = 7,
    };

    public SensorDetectorFixture() => Detector = TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(TrainingSteps, seed: 1), options: Options);

    public TimeSeriesAnomalyDetector Detector { get; }

    public void Dispose() => Detector.Dispose();
}

public sealed class TimeSeriesAnomalyDetectorTests(SensorDetectorFixture fixture) : IClassFixture<SensorDetectorFixture>
{
    private readonly TimeSeriesAnomalyDetector detector = fixture.Detector;

    /// <summary>A fresh stretch of normal readings that continues the training span's daily cycle.</summary>
    private static float[,] Fresh(int steps = 480) => SensorSeries.Normal(steps, seed: 2, first: SensorDetectorFixture.TrainingSteps);

    [Fact]
    public void Fitting_holds_out_the_end_of_the_span_and_scales_each_channel_on_the_rest()
    {
        detector.ChannelCount.Should().Be(3);
        detector.WindowLength.Should().Be(16);
        detector.CalibrationScores.Should().HaveCount(144, "a false-positive rate is calibrated on the last 20% of the 720 training steps");
        detector.ThresholdRule.Should().Contain("false-positive rate ≤ 0.01, split-conformal on 144 held-out clean samples");
        detector.Model.InputShape.Should().Equal(3, 16);

        var scaler = detector.Model.Scaler.Should().BeOfType<StandardScaler>().Subject;
        scaler.FeatureCount.Should().Be(48, "one offset and scale per channel, repeated over the window's 16 steps");
        var training = SensorSeries.Normal(SensorDetectorFixture.TrainingSteps, seed: 1);
        for (var c = 0; c < 3; c++)
        {
            var fitted = SensorSeries.Channel(training, c).Take(576).Select(v => (double)v).ToArray();
            scaler.Offset[c * 16].Should().BeApproximately((float)fitted.Average(), 1e-3f * Math.Abs((float)fitted.Average()));
            scaler.Offset.Skip(c * 16).Take(16).Distinct().Should().ContainSingle();
        }
    }

    [Fact]
    public void A_spike_in_one_sensor_is_flagged_at_its_step_and_explained_by_that_sensor()
    {
        var series = SensorSeries.WithSpike(Fresh(), step: 300, channel: 1);

        var steps = detector.Detect(series).Steps;

        steps[300].Score.Should().BeGreaterThan(detector.DecisionThreshold * 3);
        steps[300].IsAnomaly.Should().BeTrue("the likelihood jumps at the spike");
        detector.Explain(steps[300]).Top(1)[0].Name.Should().Be("pressure");
        steps.Take(300).Count(s => s.IsAnomaly).Should().BeLessThanOrEqualTo(2, "clean steps rarely raise an alarm");
        steps.Skip(301).Take(24).Count(s => s.IsAnomaly).Should().Be(0, "the alarms after the spike are suppressed for 24 steps");
    }

    [Fact]
    public void Clean_data_scores_above_the_threshold_at_about_the_calibrated_rate()
    {
        var steps = detector.Detect(Fresh(2000)).Steps.Where(s => s.IsScored).ToArray();

        var rate = steps.Count(s => s.Score > detector.DecisionThreshold) / (double)steps.Length;
        rate.Should().BeLessThan(0.05, "the threshold is the 1% false-positive rate of held-out clean steps");
        steps.Average(s => s.PValue).Should().BeInRange(0.3, 0.7, "clean scores rank like the clean calibration scores");
    }

    [Fact]
    public void The_first_window_length_minus_one_steps_have_no_causal_score()
    {
        var steps = detector.Detect(Fresh(40)).Steps;

        steps.Should().HaveCount(40);
        steps.Take(15).Should().OnlyContain(s => !s.IsScored && !s.IsAnomaly && s.Likelihood == 0 && s.ChannelErrors.Count == 0);
        steps.Skip(15).Should().OnlyContain(s => s.IsScored && s.ChannelErrors.Count == 3);
        FluentActions.Invoking(() => detector.Explain(steps[3])).Should().Throw<ArgumentException>().WithMessage("*no window of 16 steps ends at it*");
    }

    [Fact]
    public void Online_scores_equal_the_batch_causal_scores_exactly_however_the_points_are_pushed()
    {
        var series = SensorSeries.WithSpike(Fresh(300), step: 200, channel: 0);
        var batch = detector.Detect(series).Steps;

        using var single = detector.OpenStream();
        var oneByOne = Enumerable.Range(0, 300).Select(t => single.Push([series[t, 0], series[t, 1], series[t, 2]])).ToArray();

        using var chunked = detector.OpenStream();
        var chunks = new List<StepScore>();
        var random = new Random(5);
        for (var start = 0; start < 300;)
        {
            var size = Math.Min(random.Next(1, 70), 300 - start);
            chunks.AddRange(chunked.Push(Rows(series, start, size)));
            start += size;
        }

        foreach (var online in new[] { oneByOne, chunks.ToArray() })
        {
            online.Select(s => s.Score).Should().Equal(batch.Select(s => s.Score), (a, b) => a.Equals(b), "bit for bit");
            online.Select(s => s.Likelihood).Should().Equal(batch.Select(s => s.Likelihood));
            online.Select(s => s.IsAnomaly).Should().Equal(batch.Select(s => s.IsAnomaly));
            online.Select(s => s.PValue).Should().Equal(batch.Select(s => s.PValue), (a, b) => a.Equals(b));
        }

        batch.Count(s => s.IsAnomaly).Should().BeGreaterThan(0, "the comparison covers an alarm");
        single.Count.Should().Be(300);
    }

    [Fact]
    public void Online_scores_equal_batch_scores_when_rows_are_not_aligned_and_time_features_are_on()
    {
        // 3 sensors + 2 time channels over 12 steps: rows of 60 inputs and 30 hidden units, every other row 8 bytes off a
        // 16-byte boundary, where libtorch's kernels give other bits than on an aligned row.
        var options = TimeSeriesDetectorOptions.Default with
        {
            WindowLength = 12, TimeFeatures = TimeFeatures.TimeOfDay, Threshold = Threshold.MaxTrainingScore(), Training = SensorDetectorFixture.FastTraining with { Epochs = 3 },
        };
        using var timed = TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(300, seed: 1), SensorSeries.Hours(300), options);
        var series = Fresh(100);
        var hours = SensorSeries.Hours(100, first: SensorDetectorFixture.TrainingSteps);

        var batch = timed.Detect(series, hours).Steps;
        using var stream = timed.OpenStream();
        var online = Enumerable.Range(0, 100).Select(t => stream.Push([series[t, 0], series[t, 1], series[t, 2]], hours[t])).ToArray();

        timed.Model.InputShape.Should().Equal(5, 12);
        online.Select(s => s.Score).Should().Equal(batch.Select(s => s.Score), (a, b) => a.Equals(b), "bit for bit");
    }

    [Fact]
    public void Covering_scores_are_the_mean_or_the_largest_of_the_step_errors_in_every_window_that_contains_it()
    {
        var series = SensorSeries.WithSpike(Fresh(60), step: 30, channel: 2);
        using var windows = SeriesWindows.ToDataset(series, new SlidingWindows(16));
        var errors = detector.Model.FeatureErrors(windows);   // [45 windows, 3 channels × 16 steps]
        double StepError(int window, int step) => Enumerable.Range(0, 3).Average(c => (double)errors[window, (c * 16) + step - window]);

        var mean = detector.Detect(series, scoring: StepScoring.MeanOfCovering).Steps;
        var max = detector.Detect(series, scoring: StepScoring.MaxOfCovering).Steps;

        foreach (var step in new[] { 0, 7, 15, 30, 44, 59 })
        {
            var covering = Enumerable.Range(0, 45).Where(w => w <= step && step < w + 16).Select(w => StepError(w, step)).ToArray();
            mean[step].Score.Should().BeApproximately(covering.Average(), 1e-5 * covering.Average());
            max[step].Score.Should().BeApproximately(covering.Max(), 1e-5 * covering.Max());
        }

        mean.Should().OnlyContain(s => s.IsScored, "every step of a series at least a window long is covered");
        max[30].Score.Should().BeGreaterThan(mean[30].Score);
        detector.Explain(max[30]).Top(1)[0].Name.Should().Be("flow");
    }

    [Fact]
    public void A_univariate_series_is_one_channel()
    {
        var training = SensorSeries.Channel(SensorSeries.Normal(500, seed: 3), 0);
        using var single = TimeSeriesAnomalyDetector.Fit(training, options: TimeSeriesDetectorOptions.Default with { WindowLength = 12, Training = SensorDetectorFixture.FastTraining });

        var fresh = SensorSeries.Channel(SensorSeries.WithSpike(SensorSeries.Normal(100, seed: 4, first: 500), 60, 0, amplitudes: 2), 0);
        var steps = single.Detect(fresh).Steps;

        single.ChannelCount.Should().Be(1);
        steps[60].IsAnomaly.Should().BeTrue();
        steps[60].Likelihood.Should().BeNull("post-processing is off by default");
        single.Explain(steps[60]).Top(1)[0].Name.Should().Be("channel 0", "unnamed channels are numbered");
    }

    private static float[,] Rows(float[,] series, int start, int count)
    {
        var rows = new float[count, series.GetLength(1)];
        for (var t = 0; t < count; t++)
        {
            for (var c = 0; c < series.GetLength(1); c++)
            {
                rows[t, c] = series[start + t, c];
            }
        }

        return rows;
    }
}
