using Autoencoders.Applications;
using Autoencoders.Data;
using Autoencoders.Tests.Support;
using Autoencoders.Training;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>What the options buy, as learned behaviour: time features see a pattern at the wrong hour; refitting follows a
/// lasting change.</summary>
public sealed class TimeSeriesLearningTests
{
    private static readonly TrainerOptions Training = new() { Epochs = 40, BatchSize = 32, LearningRate = 3e-3, ValidationFraction = 0.1, Patience = 5 };

    /// <summary>Hourly: 1 from 08:00 to 15:00, 0 otherwise, with noise; on <paramref name="shiftedDay"/> the pulse comes 4 hours late
    /// (12:00 to 19:00: at least 12 quiet hours before and after it, so every 12-step window has a shape seen before).</summary>
    private static (float[] Values, DateTime[] Times) Office(int days, int seed, int firstDay = 0, int? shiftedDay = null)
    {
        var random = new Random(seed);
        var values = new float[days * 24];
        var times = new DateTime[days * 24];
        for (var t = 0; t < values.Length; t++)
        {
            var day = firstDay + (t / 24);
            var hour = t % 24;
            var start = day == shiftedDay ? 12 : 8;
            var on = hour >= start && hour < start + 8;
            values[t] = (float)((on ? 1 : 0) + (0.05 * Synthetic.Gaussian(random)));
            times[t] = new DateTime(2024, 1, 1).AddHours((firstDay * 24) + t);
        }

        return (values, times);
    }

    [Fact]
    public void With_the_time_of_day_a_daily_pattern_at_the_wrong_hour_is_an_anomaly()
    {
        var (training, trainingTimes) = Office(days: 40, seed: 1);
        var (fresh, freshTimes) = Office(days: 4, seed: 2, firstDay: 40, shiftedDay: 42);
        var options = TimeSeriesDetectorOptions.Default with { WindowLength = 12, Training = Training, Seed = 3 };

        double Ratio(TimeFeatures features)
        {
            using var detector = TimeSeriesAnomalyDetector.Fit(training, trainingTimes, options with { TimeFeatures = features });
            var steps = detector.Detect(fresh, freshTimes).Steps;
            var shifted = steps.Skip((2 * 24) + 8).Take(14).Max(s => s.Score);    // from the usual rise to the late fall
            var usual = steps.Skip(24).Take(24).Max(s => s.Score);                // a normal day
            usual.Should().BeLessThan(detector.DecisionThreshold * 3, $"a normal day is normal ({features})");
            return shifted / detector.DecisionThreshold;
        }

        var withTime = Ratio(TimeFeatures.TimeOfDay);
        var without = Ratio(TimeFeatures.None);

        withTime.Should().BeGreaterThan(3, "from 08:00 to 12:00 the pulse is missing, and it lasts until 20:00");
        withTime.Should().BeGreaterThan(3 * without, "without the time of day a late pulse has the shape of an on-time one");
    }

    [Fact]
    public void Periodic_refitting_on_recent_steps_makes_a_lasting_new_level_normal()
    {
        var training = SensorSeries.Channel(SensorSeries.Normal(300, seed: 1), 0);
        var options = TimeSeriesDetectorOptions.Default with { WindowLength = 12, Threshold = Threshold.FalsePositiveRate(0.05), Training = Training with { Epochs = 20 }, Seed = 3 };
        using var fixedDetector = TimeSeriesAnomalyDetector.Fit(training, options: options);
        using var refitting = TimeSeriesAnomalyDetector.Fit(training, options: options with { Refit = new SeriesRefit { Every = 100, History = 200 } });

        var live = SensorSeries.Channel(SensorSeries.Normal(700, seed: 2, first: 300), 0);
        for (var t = 300; t < live.Length; t++)
        {
            live[t] += 15;   // the temperature moves up for good at step 300
        }

        using var plain = fixedDetector.OpenStream();
        using var adapting = refitting.OpenStream();
        var before = live.Select(v => plain.Push([v])).ToArray();
        var after = live.Select(v => adapting.Push([v])).ToArray();

        adapting.Refits.Should().Be(6, "every 100 steps once 200 are kept: at 200, 300, …, 700");
        before.Skip(600).Should().OnlyContain(s => s.IsAnomaly, "the fixed detector flags the new level for ever");
        after.Skip(600).Count(s => s.IsAnomaly).Should().BeLessThan(10, "the refit at step 600 learned steps 400–599, all at the new level");
        after.Take(200).Select(s => s.Score).Should().Equal(before.Take(200).Select(s => s.Score), "no refit before the history is full");
    }
}
