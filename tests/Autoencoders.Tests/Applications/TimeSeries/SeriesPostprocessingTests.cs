using Autoencoders.Applications;

namespace Autoencoders.Tests.Applications.TimeSeries;

/// <summary>The anomaly likelihood and alarm suppression on hand-worked score streams.</summary>
public sealed class SeriesPostprocessingTests
{
    [Theory]
    [InlineData(0, -0.3010299956639812)]
    [InlineData(1, -0.7995455414919704)]
    [InlineData(2.5, -2.2069318057953007)]
    [InlineData(5, -6.542645672390654)]
    [InlineData(10, -23.118053405486073)]
    [InlineData(20, -88.56009534307557)]
    [InlineData(37, -299.2421811786099)]
    public void The_normal_tail_matches_erfc_on_a_log_scale(double z, double expected) =>
        NormalTail.Log10UpperTail(z).Should().BeApproximately(expected, 1e-12 * Math.Max(1, Math.Abs(expected)));

    [Fact]
    public void The_normal_tail_stays_finite_where_erfc_underflows_and_below_zero()
    {
        // Q(z) ≈ φ(z)/z · (1 − 1/z² + 3/z⁴) for large z.
        var z = 60.0;
        var asymptotic = (-(z * z / 2) - Math.Log(z * Math.Sqrt(2 * Math.PI)) + Math.Log(1 - (1 / (z * z)) + (3 / Math.Pow(z, 4)))) / Math.Log(10);
        NormalTail.Log10UpperTail(z).Should().BeApproximately(asymptotic, 1e-9 * Math.Abs(asymptotic));
        NormalTail.Log10UpperTail(-1).Should().BeApproximately(Math.Log10(1 - 0.158655253931457), 1e-12);
    }

    [Fact]
    public void A_short_term_mean_five_deviations_above_the_history_scores_the_log_tail_over_ten()
    {
        // Calibration 1, 3, 1, 3, …: with W = 1 the history has mean 2 and deviation 1.
        var options = new SeriesPostprocessing { ShortWindow = 1, HistoryLength = 1000, AlarmLevel = 0.6, SuppressionSteps = 0 };
        var post = new SeriesPostprocessor(options, Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1.0 : 3.0));

        var (likelihood, alarm) = post.Next(7);

        likelihood.Should().BeApproximately(0.6542645672390654, 1e-9, "z = 5: −log₁₀ Q(5) / 10");
        alarm.Should().BeTrue();
        post.Next(2).Likelihood.Should().Be(0, "at the history's mean");
        post.Next(1).Likelihood.Should().Be(0, "below the mean is not anomalous");
    }

    [Fact]
    public void After_an_alarm_the_next_steps_are_suppressed_then_alarms_resume()
    {
        var options = new SeriesPostprocessing { ShortWindow = 1, HistoryLength = 10_000, AlarmLevel = 0.5, SuppressionSteps = 3 };
        var post = new SeriesPostprocessor(options, Enumerable.Range(0, 1000).Select(i => i % 2 == 0 ? 1.0 : 3.0));

        var results = Enumerable.Range(0, 6).Select(_ => post.Next(30)).ToArray();

        results.Select(r => r.Alarm).Should().Equal(true, false, false, false, true, false);
        results.Select(r => r.Likelihood).Should().Equal(1, 0, 0, 0, 1, 0);
    }

    [Fact]
    public void The_short_window_averages_the_latest_scores_so_a_single_blip_is_damped()
    {
        var random = new Random(1);
        var calibration = Enumerable.Range(0, 1000).Select(_ => 2 + Support.Synthetic.Gaussian(random)).ToArray();
        var single = new SeriesPostprocessor(new SeriesPostprocessing { ShortWindow = 1, SuppressionSteps = 0 }, calibration);
        var averaged = new SeriesPostprocessor(new SeriesPostprocessing { ShortWindow = 4, SuppressionSteps = 0 }, calibration);
        foreach (var score in new[] { 1.0, 3.0, 1.0 })
        {
            single.Next(score);
            averaged.Next(score);
        }

        single.Next(6).Likelihood.Should().BeGreaterThan(averaged.Next(6).Likelihood);
    }

    [Fact]
    public void The_history_is_bounded_so_a_lasting_new_level_becomes_normal()
    {
        var options = new SeriesPostprocessing { ShortWindow = 1, HistoryLength = 50, SuppressionSteps = 0 };
        var post = new SeriesPostprocessor(options, Enumerable.Range(0, 50).Select(i => i % 2 == 0 ? 1.0 : 3.0));

        post.Next(10).Likelihood.Should().Be(1, "far above the calibration scores");
        for (var i = 0; i < 60; i++)
        {
            post.Next(i % 2 == 0 ? 9.0 : 11.0);
        }

        post.Next(10).Likelihood.Should().Be(0, "the history now holds only the new level");
    }

    [Fact]
    public void An_overflowing_score_is_an_alarm_and_leaves_the_history_alone()
    {
        var options = new SeriesPostprocessing { ShortWindow = 1, SuppressionSteps = 0 };
        var calibration = Enumerable.Range(0, 100).Select(i => i % 2 == 0 ? 1.0 : 3.0).ToArray();
        var post = new SeriesPostprocessor(options, calibration);
        var untouched = new SeriesPostprocessor(options, calibration);

        post.Next(double.PositiveInfinity).Should().Be((1.0, true));
        post.Next(7).Should().Be(untouched.Next(7), "the infinite score entered neither the short window nor the history");
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        FluentActions.Invoking(() => new SeriesPostprocessor(SeriesPostprocessing.Default, [1.0]).Next(double.NaN)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => new SeriesPostprocessor(SeriesPostprocessing.Default, [1.0]).Next(double.NegativeInfinity)).Should().Throw<ArgumentOutOfRangeException>();
        foreach (var bad in new[]
        {
            new SeriesPostprocessing { ShortWindow = 0 },
            new SeriesPostprocessing { HistoryLength = 1 },
            new SeriesPostprocessing { AlarmLevel = 0 },
            new SeriesPostprocessing { AlarmLevel = 1.5 },
            new SeriesPostprocessing { SuppressionSteps = -1 },
        })
        {
            FluentActions.Invoking(bad.Validate).Should().Throw<ArgumentOutOfRangeException>();
        }
    }
}
