using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Model;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>Missing values, short series, long windows, mismatched channels and irregular timestamps: each gets a clear
/// error naming the step or channel, or its documented handling.</summary>
public sealed class TimeSeriesBadInputTests(SensorDetectorFixture fixture) : IClassFixture<SensorDetectorFixture>
{
    private static readonly TrainerOptions Tiny = new() { Epochs = 3, BatchSize = 32 };
    private readonly TimeSeriesAnomalyDetector detector = fixture.Detector;

    private static float[,] Fresh(int steps) => SensorSeries.Normal(steps, seed: 2, first: SensorDetectorFixture.TrainingSteps);

    [Fact]
    public void A_missing_value_is_refused_by_default_naming_its_step_and_channel()
    {
        var training = SensorSeries.Normal(300, seed: 1);
        training[100, 1] = float.NaN;

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(training, options: SensorDetectorFixture.Options))
            .Should().Throw<ArgumentException>().WithMessage("Step 100, channel 'pressure' is missing (NaN)*MissingValues.ForwardFill*");

        var fresh = Fresh(50);
        fresh[20, 2] = float.NaN;
        FluentActions.Invoking(() => detector.Detect(fresh)).Should().Throw<ArgumentException>().WithMessage("Step 20, channel 'flow' is missing*");
    }

    [Fact]
    public void Forward_fill_takes_the_value_before_and_says_so()
    {
        var training = SensorSeries.Normal(200, seed: 1);
        training[50, 0] = float.NaN;
        var options = TimeSeriesDetectorOptions.Default with
        {
            WindowLength = 8, Training = Tiny, Threshold = Threshold.MaxTrainingScore(), MissingValues = MissingValues.ForwardFill, ChannelNames = SensorSeries.Names,
        };
        using var filling = TimeSeriesAnomalyDetector.Fit(training, options: options);
        filling.FitWarnings.Should().ContainSingle().Which.Should().Be("1 missing value forward-filled from the step before: step 50 channel 'temperature'.");

        var fresh = Fresh(40);
        var holed = (float[,])fresh.Clone();
        holed[30, 1] = float.NaN;
        holed[31, 1] = float.NaN;
        fresh[30, 1] = fresh[31, 1] = fresh[29, 1];

        var filled = filling.Detect(holed);
        var expected = filling.Detect(fresh);

        filled.Warnings.Should().ContainSingle().Which.Should().Contain("2 missing values").And.Contain("step 30 channel 'pressure', step 31 channel 'pressure'");
        filled.Steps.Select(s => s.Score).Should().Equal(expected.Steps.Select(s => s.Score), (a, b) => a.Equals(b));
        filled.Steps.Select(s => s.FilledValues).Should().Equal(Enumerable.Range(0, 40).Select(t => t is 30 or 31 ? 1 : 0));
    }

    [Fact]
    public void Forward_fill_needs_a_value_before_and_never_fills_infinity()
    {
        var options = TimeSeriesDetectorOptions.Default with { WindowLength = 8, Training = Tiny, MissingValues = MissingValues.ForwardFill };
        var leading = SensorSeries.Normal(200, seed: 1);
        leading[0, 2] = float.NaN;
        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(leading, options: options))
            .Should().Throw<ArgumentException>().WithMessage("Step 0, channel 2 is missing (NaN) and has no value before it*");

        var infinite = SensorSeries.Normal(200, seed: 1);
        infinite[7, 1] = float.PositiveInfinity;
        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(infinite, options: options))
            .Should().Throw<ArgumentException>().WithMessage("Step 7, channel 1 is +∞*");
    }

    [Fact]
    public void A_reading_so_far_out_that_its_error_overflows_is_an_anomaly_not_a_crash()
    {
        using var stream = detector.OpenStream();
        var fresh = Fresh(40);
        for (var t = 0; t < 30; t++)
        {
            stream.Push([fresh[t, 0], fresh[t, 1], fresh[t, 2]]);
        }

        var glitch = stream.Push([fresh[30, 0], 1e30f, fresh[30, 2]]);
        var after = stream.Push([fresh[31, 0], fresh[31, 1], fresh[31, 2]]);

        glitch.Score.Should().Be(double.PositiveInfinity);
        glitch.PValue.Should().Be(1.0 / (detector.CalibrationScores.Count + 1), "no calibration score is as large");
        glitch.IsAnomaly.Should().BeTrue();
        glitch.ChannelErrors[1].Should().Be(float.PositiveInfinity, "the reading itself is off by 1e30");
        after.Score.Should().Be(double.PositiveInfinity, "the glitch is still in the window");
    }

    [Fact]
    public void A_training_span_too_short_for_its_window_is_refused_with_what_would_do()
    {
        var options = SensorDetectorFixture.Options with { WindowLength = 100 };

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(110, seed: 1), options: options))
            .Should().Throw<ArgumentException>()
            .WithMessage("The training span has 110 time steps; 88 remain to train on after holding out its last 22 steps (20%)*fewer than a window of 100. Give at least 125 steps, or a shorter WindowLength*");

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(60, seed: 1), options: options with { Threshold = Threshold.MaxTrainingScore() }))
            .Should().Throw<ArgumentException>().WithMessage("The training span has 60 time steps; 60 remain to train on, fewer than a window of 100. Give at least 100 steps*");
    }

    [Fact]
    public void A_series_shorter_than_a_window_gets_no_scores_and_no_error()
    {
        var steps = detector.Detect(Fresh(10)).Steps;

        steps.Should().HaveCount(10).And.OnlyContain(s => !s.IsScored && !s.IsAnomaly);
        detector.Detect(Fresh(10), scoring: StepScoring.MeanOfCovering).Steps.Should().OnlyContain(s => !s.IsScored);
    }

    [Fact]
    public void Channels_that_do_not_match_the_detector_are_refused_and_a_stream_is_left_as_it_was()
    {
        var twoChannels = new float[50, 2];

        FluentActions.Invoking(() => detector.Detect(twoChannels)).Should().Throw<ArgumentException>()
            .WithMessage("The detector was fitted on 3 channels (temperature, pressure, flow); this input has 2. Give the same channels in the same order.*");

        using var stream = detector.OpenStream();
        stream.Push([20f, 1000f, 3f]);
        FluentActions.Invoking(() => stream.Push([20f, 1000f])).Should().Throw<ArgumentException>().WithMessage("*this input has 2*");
        var holed = new float[3, 3];
        holed[2, 1] = float.NaN;
        FluentActions.Invoking(() => stream.Push(holed)).Should().Throw<ArgumentException>().WithMessage("Step 3, channel 'pressure' is missing*", "steps are counted over the stream");
        stream.Count.Should().Be(1, "a refused push takes no point");

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(200, seed: 1), options: TimeSeriesDetectorOptions.Default with { ChannelNames = ["a", "b"] }))
            .Should().Throw<ArgumentException>().WithMessage("2 channel names were given for 3 channels (a, b).*");
    }

    [Fact]
    public void A_spec_for_other_windows_is_refused_with_the_shape_it_needs()
    {
        var options = TimeSeriesDetectorOptions.Default with
        {
            WindowLength = 8, Spec = AutoencoderSpec.Dense([3, 16], 4, [16]), TimeFeatures = TimeFeatures.TimeOfDay, Threshold = Threshold.MaxTrainingScore(),
        };

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(200, seed: 1), SensorSeries.Hours(200), options))
            .Should().Throw<ArgumentException>().WithMessage("The spec takes inputs shaped [3, 16]; windows here are shaped [5, 8] (3 sensors + 2 time-feature channels)*");
    }

    [Fact]
    public void Time_features_need_one_timestamp_per_step()
    {
        var options = TimeSeriesDetectorOptions.Default with { WindowLength = 8, TimeFeatures = TimeFeatures.TimeOfDay, Threshold = Threshold.MaxTrainingScore(), Training = Tiny };

        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(200, seed: 1), options: options))
            .Should().Throw<ArgumentException>().WithMessage("The detector uses time features (TimeOfDay), which are computed from timestamps*");
        FluentActions.Invoking(() => TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(200, seed: 1), SensorSeries.Hours(199), options))
            .Should().Throw<ArgumentException>().WithMessage("199 timestamps were given for 200 time steps*");

        using var timed = TimeSeriesAnomalyDetector.Fit(SensorSeries.Normal(200, seed: 1), SensorSeries.Hours(200), options);
        using var stream = timed.OpenStream();
        FluentActions.Invoking(() => stream.Push([20f, 1000f, 3f])).Should().Throw<ArgumentException>().WithMessage("*pass one timestamp per point*");
    }

    [Fact]
    public void Gaps_repeats_and_steps_back_in_time_are_reported_as_warnings_and_scored_in_order()
    {
        var times = SensorSeries.Hours(60).ToArray();
        times[20] = times[19];                          // repeated
        times[30] = times[29].AddMinutes(-30);          // back in time
        for (var t = 40; t < 60; t++)
        {
            times[t] = times[t].AddHours(5);            // a five-hour gap before step 40
        }

        var detection = detector.Detect(Fresh(60), times);

        detection.Steps.Should().HaveCount(60);
        detection.Warnings.Should().HaveCount(3);
        detection.Warnings.Should().Contain(w => w.Contains("back in time (step 30)", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("repeats the step before (step 20)", StringComparison.Ordinal))
            .And.Contain(w => w.Contains("before step 40", StringComparison.Ordinal) && w.Contains("06:00:00", StringComparison.Ordinal));
        detector.Detect(Fresh(60), SensorSeries.Hours(60)).Warnings.Should().BeEmpty("hourly timestamps are regular");
    }
}
