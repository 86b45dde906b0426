using Autoencoders.Data;

namespace Autoencoders.Tests.Data.TimeSeries;

public sealed class SeriesWindowsTests
{
    /// <summary>Value 100·channel + step, so every sample says where it came from.</summary>
    private static float[,] Labelled(int steps, int channels)
    {
        var series = new float[steps, channels];
        for (var t = 0; t < steps; t++)
        {
            for (var c = 0; c < channels; c++)
            {
                series[t, c] = (100 * c) + t;
            }
        }

        return series;
    }

    [Fact]
    public void Each_window_becomes_a_sample_shaped_channels_by_length_holding_its_steps()
    {
        var windows = new SlidingWindows(length: 4, stride: 3);
        using var data = SeriesWindows.ToDataset(Labelled(11, 2), windows);

        data.SampleShape.Should().Equal(2, 4);
        data.Count.Should().Be(windows.Count(11)).And.Be(4, "windows start at 0, 3, 6 and, aligned to the end, 7");
        var rows = data.ToArray();
        for (var i = 0; i < data.Count; i++)
        {
            var start = windows.Start(i, 11);
            for (var c = 0; c < 2; c++)
            {
                for (var p = 0; p < 4; p++)
                {
                    rows[i, (c * 4) + p].Should().Be((100 * c) + start + p);
                }
            }
        }
    }

    [Fact]
    public void A_range_of_windows_is_taken_in_order()
    {
        using var data = SeriesWindows.ToDataset(Labelled(10, 1), new SlidingWindows(3), 2..5);

        var rows = data.ToArray();
        rows.GetLength(0).Should().Be(3);
        Enumerable.Range(0, 3).Select(i => rows[i, 0]).Should().Equal(2f, 3f, 4f);
    }

    [Fact]
    public void Short_series_and_missing_values_are_refused_with_the_step_and_channel()
    {
        FluentActions.Invoking(() => SeriesWindows.ToDataset(Labelled(5, 1), new SlidingWindows(8)))
            .Should().Throw<ArgumentException>().WithMessage("*5 time steps, fewer than a window of 8*");

        var series = Labelled(10, 3);
        series[6, 2] = float.NaN;
        FluentActions.Invoking(() => SeriesWindows.ToDataset(series, new SlidingWindows(4)))
            .Should().Throw<ArgumentException>().WithMessage("Step 6, channel 2 is missing (NaN)*");

        FluentActions.Invoking(() => SeriesWindows.ToDataset(Labelled(10, 1), new SlidingWindows(3), 7..9))
            .Should().Throw<ArgumentException>().WithMessage("*selects no window of the 8*");
    }
}
